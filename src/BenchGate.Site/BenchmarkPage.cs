using System.Globalization;
using System.Text;
using BenchGate.Dashboard;
using BenchGate.Detection;
using BenchGate.Trend;

namespace BenchGate.Site;

/// <summary>b/ID.html: one benchmark's history per metric with intervals, change points, the baseline, and its other machines and branches.</summary>
internal static class BenchmarkPage
{
    public static StringBuilder Render(DashboardSite site, DashboardBenchmark b, IReadOnlyList<DashboardBenchmark> siblings)
    {
        var sb = Layout.Begin(site, "../", "", b.Title);
        sb.Append(CultureInfo.InvariantCulture, $"<h1>{Html.Encode(b.Title)}</h1>\n<dl class=\"params\">");
        foreach (var (name, value) in b.Key.Fields.Where(f => f.Value != "?"))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<div><dt>{Html.Encode(name)}</dt><dd>{Html.Encode(value)}</dd></div>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<div><dt>machine</dt><dd>{Html.Encode(b.Machine ?? "—")}</dd></div><div><dt>branch</dt><dd>{Html.Encode(b.Branch ?? "—")}</dd></div></dl>\n");
        sb.Append("<form class=\"selectors\">\n");
        Selector(sb, "machine", "Machine", b, siblings.Where(s => s.Branch == b.Branch).Select(s => (s.Machine ?? "—", s)));
        Selector(sb, "branch", "Branch", b, siblings.Where(s => s.Machine == b.Machine).Select(s => (s.Branch ?? "—", s)));
        sb.Append("<fieldset class=\"metric-switch\"><legend>Metric</legend>");
        var figures = b.Metrics.Select(m => m.Series.Metric.Name).ToList();
        if (b.Memory.Count > 0)
        {
            figures.Add("peak_rss_mb");
        }

        foreach (var (metric, i) in figures.Select((m, i) => (m, i)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<label><input type=\"radio\" name=\"metric\" value=\"{metric}\"{(i == 0 ? " checked" : "")}> {Html.MetricLabel(metric)}</label>");
        }

        sb.Append("</fieldset>\n</form>\n");
        foreach (var (trend, i) in b.Metrics.Select((m, i) => (m, i)))
        {
            Figure(sb, site, trend, i == 0);
        }

        if (b.Memory.Count > 0)
        {
            var points = b.Memory.OrderBy(p => site.CommitPositions.GetValueOrDefault(p.Commit, int.MaxValue))
                .Select(p => new ChartPoint(p.Commit, p.PeakMb, p.PeakMb, p.PeakMb, $"{Html.Short(p.Commit)}: {Html.Value("peak_rss_mb", p.PeakMb)}")).ToList();
            sb.Append("<section class=\"figure\" data-metric=\"peak_rss_mb\" hidden>\n<h2>Peak memory of the runs</h2>\n");
            SvgChart.History(sb, "chart-peak_rss_mb", $"Peak resident memory of the llama-bench runs that measured {b.Title}, per commit", "peak_rss_mb", points, [], null);
            sb.Append("\n<p class=\"note\">One value per commit: the peak RSS <code>benchgate run</code> recorded for the llama-bench process (the median when a commit has several runs).</p>\n</section>\n");
        }

        return Layout.End(sb, site, "../");
    }

    private static void Selector(StringBuilder sb, string name, string label, DashboardBenchmark current, IEnumerable<(string Label, DashboardBenchmark Page)> options)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<label>{label} <select name=\"{name}\">");
        foreach (var (text, page) in options.OrderBy(o => o.Label, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<option value=\"{page.PageId}.html\"{(page.PageId == current.PageId ? " selected" : "")}>{Html.Encode(text)}</option>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"</select></label><button type=\"button\" data-go=\"{name}\">Open</button>\n");
    }

    private static void Figure(StringBuilder sb, DashboardSite site, SeriesTrend trend, bool visible)
    {
        var series = trend.Series;
        var metric = series.Metric.Name;
        var points = series.Points.Select(p => new ChartPoint(p.Commit, p.Value, p.Low, p.High,
            $"{Html.Short(p.Commit)}: {Html.Value(metric, p.Value)} ({Html.Value(metric, p.Low)} to {Html.Value(metric, p.High)}), {p.Runs} run{(p.Runs == 1 ? "" : "s")}")).ToList();
        // The tooltips of a long history are joined with '|' for site.js.
        if (points.Count > SvgChart.MaximumCircles)
        {
            points = [.. points.Select(p => p with { Tooltip = p.Tooltip.Replace('|', '/') })];
        }
        var marks = trend.ChangePoints.Select(c => new ChartMark(c.Index, c.Commit, $"{Html.Percent(c.ChangePercent)} at {Html.Short(c.Commit)}",
            site.LinkOf(c.Commit) ?? Layout.CompareHref("../", c.PreviousCommit, c.Commit), c.Verdict == Verdict.Regression)).ToList();
        (string, int)? baseline = null;
        if (site.Baseline is { } bl && points.FindIndex(p => p.Commit.StartsWith(bl.Commit, StringComparison.Ordinal) || bl.Commit.StartsWith(p.Commit, StringComparison.Ordinal)) is var at and >= 0)
        {
            baseline = ($"baseline {bl.Name} ({Html.Short(bl.Commit)})", at);
        }

        sb.Append(CultureInfo.InvariantCulture, $"<section class=\"figure\" data-metric=\"{metric}\"{(visible ? "" : " hidden")}>\n<h2>{Html.Encode(series.Metric.Label)}</h2>\n");
        SvgChart.History(sb, $"chart-{metric}", $"{series.Metric.Label} of {series.Title} over {points.Count} commits, {trend.ChangePoints.Count} change points", metric, points, marks, baseline);
        if (points.Count > SvgChart.MaximumCircles)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n<details class=\"values\" data-for=\"chart-{metric}\"><summary>Values per commit</summary></details>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\n<p class=\"note\">Each point is a commit (the geometric mean of its runs); the band is its {Html.Number(100 * (1 - (2 * site.Alpha)))}% interval. {(series.Metric.HigherIsBetter ? "Higher is better." : "Lower is better.")} Threshold {Html.Number(trend.ThresholdPercent)}%.</p>\n");
        if (trend.ChangePoints.Count == 0)
        {
            sb.Append("<p>No change point past the threshold.</p>\n</section>\n");
            return;
        }

        sb.Append("<table class=\"changes\"><caption>Change points</caption><thead><tr><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Change</th><th scope=\"col\">Interval</th><th scope=\"col\">p</th><th scope=\"col\">Verdict</th><th scope=\"col\">Cause</th><th scope=\"col\">Alert</th></tr></thead><tbody>\n");
        foreach (var c in trend.ChangePoints)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-commit=\"{Html.Encode(c.Commit)}\"><td>{Layout.Commit(site, "../", c.PreviousCommit)}</td><td>{Layout.Commit(site, "../", c.Commit, c.PreviousCommit)}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Html.Percent(c.ChangePercent)}</td><td class=\"num\">{Html.Percent(c.CiLowPercent)} to {Html.Percent(c.CiHighPercent)}</td><td class=\"num\">{c.PValue.ToString("0.###e+0", CultureInfo.InvariantCulture)}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td class=\"{(c.Verdict == Verdict.Regression ? "regression" : "improvement")}\">{c.Verdict}</td><td>{(c.Cause == SuspectedCause.Machine ? Html.Encode("machine: " + c.Evidence) : "code")}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{(c.AlertId is { } id ? $"<a href=\"../alerts.html#alert-{id}\">#{id}</a> {Html.Encode(c.AlertStatus)}" : "")}</td></tr>\n");
        }

        sb.Append("</tbody></table>\n</section>\n");
    }
}
