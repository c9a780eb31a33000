using System.Globalization;

namespace BenchGate.Reports;

/// <summary>How the reports write commits, numbers and changes (invariant culture).</summary>
public static class ReportText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A commit as llama-bench names it: its first 9 characters.</summary>
    public static string Commit(string commit) => commit.Length > 9 ? commit[..9] : commit;

    /// <summary>Tokens per second and other values: whole above 1000, 4 significant digits below.</summary>
    public static string Number(double v) => v >= 1000 ? v.ToString("F0", Inv) : v.ToString("G4", Inv);

    /// <summary>+3.2% or -11.6%.</summary>
    public static string Signed(double percent) => percent.ToString("+0.0;-0.0;0.0", Inv) + "%";
}
