namespace BenchGate.Cli.Rendering;

/// <summary>Counts in words: "1 run", "2 runs".</summary>
internal static class Words
{
    public static string Count(long n, string noun, string? plural = null) => $"{n} {(n == 1 ? noun : plural ?? noun + "s")}";
}
