using System.Globalization;
using System.Text;
using BenchGate.Compare;
using BenchGate.Detection;

namespace BenchGate.Reports;

/// <summary>compare's table (the script's columns, then detect's change, interval and verdict) and its CI-mode markdown.</summary>
public static class CompareReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static ResultTable Table(CompareResult r)
    {
        var columns = r.ShownColumns.Select((h, i) => new TableColumn(h, r.NumericColumns[i])).ToList();
        if (r.Tool == "llama-bench")
        {
            columns.Add(new TableColumn("Test", false));
        }

        columns.AddRange([new($"{r.Unit} {r.BaselineName}", true), new($"{r.Unit} {r.CompareName}", true), new("Speedup", true),
            new("Change", false), new($"{r.Level} CI", false), new("Verdict", false)]);
        var rows = r.Rows.Select(row =>
        {
            // Sized once and filled in place: compare's 20,000 rows grew each list two or three times.
            var cells = new List<string>(columns.Count);
            cells.AddRange(row.Shown);
            if (row.Test is not null)
            {
                cells.Add(row.Test);
            }

            cells.Add(Value(r, row, row.Baseline));
            cells.Add(Value(r, row, row.Current));
            cells.Add(double.IsFinite(row.Speedup) ? row.Speedup.ToString("F2", Inv) : "nan");
            var e = row.Verdict?.Estimate;
            cells.Add(e is null ? "" : string.Create(Inv, $"{new SignedPercent(e.ChangePercent)}"));
            cells.Add(e is null ? "" : string.Create(Inv, $"[{new SignedPercent(e.CiLowPercent)}, {new SignedPercent(e.CiHighPercent)}]"));
            cells.Add(e is null ? "" : row.Verdict!.Verdict.ToString());
            return (IReadOnlyList<string>)cells;
        }).ToList();
        return new ResultTable(columns, rows);
    }

    /// <summary>The PR-comment form (--ci-mode): a heading, the table, a one-line verdict and the notes.</summary>
    public static string Markdown(CompareResult r)
    {
        var sb = new StringBuilder();
        sb.Append(Inv, $"## Performance comparison: {r.CompareName} vs. {r.BaselineName}\n\n");
        sb.Append(TableRenderer.Render(Table(r), TableFormat.Pipe)).Append('\n');
        sb.Append(Summary(r)).Append("\n\n");
        foreach (var note in r.Notes)
        {
            sb.Append("- ").Append(note).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>One line: how many rows got each verdict, at which level and threshold.</summary>
    public static string Summary(CompareResult r)
    {
        var counts = r.Rows.Where(x => x.Verdict is not null).GroupBy(x => x.Verdict!.Verdict).ToDictionary(g => g.Key, g => g.Count());
        var regressions = counts.GetValueOrDefault(Verdict.Regression);
        return string.Create(Inv, $"**{(regressions > 0 ? "⚠️ " : "")}{regressions} regression{(regressions == 1 ? "" : "s")}**, {counts.GetValueOrDefault(Verdict.Improvement)} improvements, "
            + $"{counts.GetValueOrDefault(Verdict.Stable)} stable, {counts.GetValueOrDefault(Verdict.Inconclusive)} inconclusive "
            + $"({r.Level} intervals, threshold {r.ThresholdPercent:0.##}%, false discoveries controlled over {r.Rows.Count} rows)");
    }

    // As the script does, a row compared on bandwidth shows GB/s even under a FLOPS header (a note says so).
    private static string Value(CompareResult r, CompareRow row, double v) => !double.IsFinite(v) ? "N/A"
        : r.Unit.EndsWith("FLOPS", StringComparison.Ordinal) && !row.InBandwidth ? BackendOpsUnits.Format(v, r.Unit)
        : v.ToString("F2", Inv);

    /// <summary>
    /// A change as compare's table shows it (<c>+3.2%</c>, <c>-0.4%</c>), formatted where it is interpolated: the change
    /// and both ends of its interval, without a string of its own for each (20,000 rows).
    /// </summary>
    private readonly struct SignedPercent(double percent) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
            destination.TryWrite(Inv, $"{(percent >= 0 ? "+" : "")}{percent:F1}%", out charsWritten);

        public string ToString(string? format, IFormatProvider? formatProvider) => string.Create(Inv, $"{this}");

        public override string ToString() => ToString(null, null);
    }
}
