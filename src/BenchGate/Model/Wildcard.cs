namespace BenchGate.Model;

/// <summary>'*' and '?' patterns of the config file and filters, case-insensitive; no pattern matches anything.</summary>
public static class Wildcard
{
    public static bool Matches(string? pattern, string value) =>
        pattern is null || System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(pattern, value, ignoreCase: true);
}
