namespace BenchGate.Reports;

/// <summary>Counts in words: "1 run", "2 runs".</summary>
public static class Words
{
    public static string Count(long n, string noun, string? plural = null) => $"{n} {(n == 1 ? noun : plural ?? noun + "s")}";
}
