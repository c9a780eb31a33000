using BenchGate.Compare;

namespace BenchGate.Reports;

/// <summary>One panel of compare's plot: the rows that differ only in the x parameter.</summary>
public sealed record PlotPanel(string Title, IReadOnlyList<(double X, double Baseline, double Current)> Points);

/// <summary>
/// compare-llama-bench.py's <c>--plot</c>: one panel per group of rows that share every shown value except the
/// x parameter (n_depth by default), t/s of both builds against x. Built from the same <see cref="CompareResult"/>
/// as the table, so the plot and the table cannot disagree.
/// </summary>
public sealed record ComparePlotModel(string Title, string XLabel, string YLabel, bool LogScaleX, string BaselineName, string CompareName, IReadOnlyList<PlotPanel> Panels)
{
    public static ComparePlotModel From(CompareResult r, string plotX, bool logScale)
    {
        var field = CompareColumns.FieldNamed(plotX) ?? plotX;
        var xColumn = r.ShownColumns.ToList().IndexOf(CompareColumns.PrettyName(field));
        var groups = new Dictionary<string, List<(double, double, double)>>(StringComparer.Ordinal);
        foreach (var row in r.Rows)
        {
            if (row.PlotX is not { } x)
            {
                continue;
            }

            var parts = row.Shown.Select((v, i) => (v, i)).Where(t => t.i != xColumn && t.v.Length > 0).Select(t => $"{r.ShownColumns[t.i]}: {t.v}").ToList();
            if (row.Test is not null)
            {
                parts.Add($"Test: {BaseTest(row.Test, field)}");
            }

            var title = string.Join(", ", parts);
            if (!groups.TryGetValue(title, out var points))
            {
                groups[title] = points = [];
            }

            points.Add((x, row.Baseline, row.Current));
        }

        if (groups.Count == 0)
        {
            throw new InputException($"nothing to plot against '{plotX}': no compared row has a numeric {plotX}");
        }

        return new ComparePlotModel($"Performance comparison: {r.CompareName} vs. {r.BaselineName}", CompareColumns.PrettyName(field),
            r.Tool == "llama-bench" ? "Tokens per second (t/s)" : r.Unit, logScale, r.BaselineName, r.CompareName,
            [.. groups.Select(g => new PlotPanel(g.Key, [.. g.Value.OrderBy(p => p.Item1)]))]);
    }

    /// <summary>The test without the part the x axis shows: pp512@d4096 against n_depth is pp512.</summary>
    private static string BaseTest(string test, string field) => field switch
    {
        "n_depth" => test.Split("@d")[0],
        "n_prompt" or "n_gen" => test.Contains('@', StringComparison.Ordinal) ? test[test.IndexOf('@', StringComparison.Ordinal)..].TrimStart('@') : test.StartsWith("pp", StringComparison.Ordinal) ? "pp" : "tg",
        _ => test,
    };
}
