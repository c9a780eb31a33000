using System.Globalization;
using System.Text;
using BenchGate.Dashboard;

namespace BenchGate.Site;

/// <summary>
/// compare.html: any two commits side by side. The values live in one small script per commit (data/commit-N.js), loaded
/// when a commit is chosen: scripts load from file:// where fetch does not, and 500 commits × 1,000 benchmarks in one file
/// would be megabytes on every visit.
/// </summary>
internal static class ComparePage
{
    public static StringBuilder Render(DashboardSite site)
    {
        var sb = Layout.Begin(site, "", "compare.html", "Compare").Append("<h1>Compare two commits</h1>\n");
        if (site.IsEmpty)
        {
            return Layout.End(sb.Append(Layout.Empty(site)), site, "");
        }

        sb.Append("<form class=\"selectors\" id=\"compare-form\">\n");
        foreach (var (name, label, preset) in new[] { ("a", "Baseline commit", Math.Max(0, site.Commits.Count - 2)), ("b", "Compared commit", site.Commits.Count - 1) })
        {
            sb.Append(CultureInfo.InvariantCulture, $"<label>{label} <select name=\"{name}\" id=\"commit-{name}\">");
            for (var i = site.Commits.Count - 1; i >= 0; i--)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<option value=\"{Html.Encode(site.Commits[i])}\" data-index=\"{i}\"{(i == preset ? " selected" : "")}>{Html.Encode(Html.Short(site.Commits[i]))}</option>");
            }

            sb.Append("</select></label>\n");
        }

        sb.Append("<label>Show <select id=\"compare-filter\"><option value=\"\">all benchmarks</option><option value=\"changed\">regressions and improvements</option></select></label>\n</form>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">Change = compared / baseline − 1: for tokens/s a drop is worse, for latency a rise. Each commit's value is the geometric mean of its runs; the change's {Html.Number(100 * (1 - (2 * site.Alpha)))}% interval is the wider of the one both commits' intervals give and the one the series' usual commit-to-commit noise gives (log scale), so two commits of the same code rarely differ past it. A regression or improvement is a change past the {Html.Number(site.ThresholdPercent)}% threshold whose interval excludes no change. For the paired, history-aware verdicts of a pull request, use <code>benchgate detect</code> or <code>benchgate ci</code>.</p>\n");
        sb.Append("<p id=\"compare-status\" role=\"status\" aria-live=\"polite\">Loading…</p>\n");
        sb.Append("<table id=\"compare\"><thead><tr><th scope=\"col\">Benchmark</th><th scope=\"col\">Metric</th><th scope=\"col\">Baseline</th><th scope=\"col\">Compared</th><th scope=\"col\">Change</th><th scope=\"col\">Interval</th><th scope=\"col\">Verdict</th></tr></thead><tbody></tbody></table>\n");
        return Layout.End(sb, site, "", "data/benchmarks.js");
    }

    /// <summary>data/benchmarks.js: the series the commit files index into, the commits, and the interval's z.</summary>
    public static string Benchmarks(DashboardSite site, IReadOnlyList<(DashboardBenchmark Benchmark, Trend.SeriesTrend Trend)> entries)
    {
        var sb = new StringBuilder("window.BenchGateData = {\n");
        sb.Append(CultureInfo.InvariantCulture, $"threshold: {Html.Data(site.ThresholdPercent)},\nz: {Html.Data(Statistics.StudentT.Quantile(1 - site.Alpha, 1e9))},\ncommits: [");
        sb.AppendJoin(',', site.Commits.Select(Js));
        sb.Append("],\nseries: [\n");
        foreach (var (b, t) in entries)
        {
            sb.Append(CultureInfo.InvariantCulture, $"[{Js(b.PageId)},{Js(b.Title + (b.Machine is null ? "" : $" · {b.Machine}") + (b.Branch is null ? "" : $" · {b.Branch}"))},{Js(t.Series.Metric.Name)},{(t.Series.Metric.HigherIsBetter ? 1 : 0)},{Html.Data(CommitNoise(t.Series.Points))}],\n");
        }

        sb.Append("],\nvalues: {}\n};\nwindow.BenchGateCommit = function (i, rows) { window.BenchGateData.values[i] = rows; };\n");
        return sb.ToString();
    }

    /// <summary>
    /// How much the log value of a series moves from one commit to the next when nothing changed: 1.4826 × the median
    /// absolute deviation of its consecutive differences (a level shift moves one difference, which the median ignores).
    /// One run's repetitions understate it; with fewer than 5 commits it is unknown (0).
    /// </summary>
    internal static double CommitNoise(IReadOnlyList<Trend.TrendPoint> points)
    {
        var diffs = new List<double>();
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Value > 0 && points[i - 1].Value > 0)
            {
                diffs.Add(Math.Log(points[i].Value / points[i - 1].Value));
            }
        }

        if (diffs.Count < 4)
        {
            return 0;
        }

        var median = Statistics.Robust.Median([.. diffs]);
        return 1.4826 * Statistics.Robust.Median([.. diffs.Select(d => Math.Abs(d - median))]);
    }

    /// <summary>data/commit-N.js: [series, value, low, high, runs] of every series measured at commit N.</summary>
    public static StringBuilder Commit(int index, IEnumerable<(int Series, Trend.TrendPoint Point)> rows)
    {
        var sb = Layout.Scratch();
        sb.Append(CultureInfo.InvariantCulture, $"BenchGateCommit({index}, [");
        var first = true;
        foreach (var (series, p) in rows)
        {
            sb.Append(first ? "" : ",").Append(CultureInfo.InvariantCulture, $"[{series},{Html.Data(p.Value)},{Html.Data(p.Low)},{Html.Data(p.High)},{p.Runs}]");
            first = false;
        }

        return sb.Append("]);\n");
    }

    private static string Js(string text) => "\"" + System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(text) + "\"";
}
