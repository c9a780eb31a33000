using System.Globalization;
using System.Text;

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

    /// <summary>Text inside a markdown table cell: a '|' (the spec's titles put one between their parts) escaped.</summary>
    public static string TableCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>As <see cref="TableCell"/>, appended to <paramref name="sb"/> without a copy of the text (a detect's 30,000 lines).</summary>
    internal static StringBuilder AppendTableCell(StringBuilder sb, string text)
    {
        var rest = text.AsSpan();
        for (var bar = rest.IndexOf('|'); bar >= 0; bar = rest.IndexOf('|'))
        {
            sb.Append(rest[..bar]).Append("\\|");
            rest = rest[(bar + 1)..];
        }

        return sb.Append(rest);
    }
}
