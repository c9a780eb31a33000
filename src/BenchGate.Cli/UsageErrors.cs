using System.CommandLine;
using System.Text.RegularExpressions;

namespace BenchGate.Cli;

/// <summary>The parser's messages in words a user reads: numbers that are not numbers, and suggestions for typos.</summary>
internal static partial class UsageErrors
{
    public static string Humanize(string message, Command command)
    {
        if (CannotParse().Match(message) is { Success: true } m)
        {
            return $"{m.Groups["option"].Value}: '{m.Groups["value"].Value}' is not {TypeName(m.Groups["type"].Value)}";
        }

        if (Unrecognized().Match(message) is { Success: true } u)
        {
            var token = u.Groups["token"].Value;
            if (token.StartsWith('-'))
            {
                var names = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
                return $"unknown option '{token}'{Suggest(token, names)}";
            }

            if (command.Subcommands.Count > 0)
            {
                return $"unknown command '{token}'{Suggest(token, command.Subcommands.Select(c => c.Name))}";
            }

            return $"unexpected argument '{token}'";
        }

        if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
        {
            return $"give a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}";
        }

        return message;
    }

    /// <summary>"; did you mean 'detect'?" for the closest name within two edits (or one the token starts), else nothing.</summary>
    public static string Suggest(string token, IEnumerable<string> candidates)
    {
        var best = candidates.Distinct().Select(c => (Name: c, Distance: Distance(token, c))).Where(c => c.Distance <= Math.Max(2, token.Length / 4))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
        return best.Name is null ? "" : $"; did you mean '{best.Name}'?";
    }

    private static string TypeName(string type) => type switch
    {
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.Int32" or "System.Int64" => "a whole number",
        "System.TimeSpan" => "a duration",
        _ => $"a valid {type[(type.LastIndexOf('.') + 1)..].ToLowerInvariant()}",
    };

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$")]
    private static partial Regex Unrecognized();
}
