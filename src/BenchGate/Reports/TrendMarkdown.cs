using System.Globalization;
using System.Text;
using BenchGate.Detection;
using BenchGate.Trend;

namespace BenchGate.Reports;

/// <summary>trend's markdown report: new regressions first, with the points around them in text, then every change point and series.</summary>
public static class TrendMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(TrendReport r)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Performance Trend Report").AppendLine();
        sb.AppendLine(Inv, $"**Generated:** {r.Generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv)}");
        sb.AppendLine(Inv, $"**Threshold:** {r.ThresholdPercent.ToString("F1", Inv)}%");
        sb.AppendLine(Inv, $"**Commit order:** {r.Order}").AppendLine();
        var all = r.Series.SelectMany(s => s.ChangePoints.Select(c => (Series: s, Cp: c))).ToList();
        sb.AppendLine("## Summary");
        sb.AppendLine(Inv, $"- Series analysed: {r.Series.Count} ({r.Series.Sum(s => s.Series.Points.Count)} points)");
        sb.AppendLine(Inv, $"- Change points past the threshold: {all.Count} ({all.Count(x => x.Cp.Verdict == Verdict.Regression)} regressions, {all.Count(x => x.Cp.Verdict == Verdict.Improvement)} improvements)");
        sb.AppendLine(Inv, $"- Put down to the machine: {all.Count(x => x.Cp.Cause == SuspectedCause.Machine)}");
        sb.AppendLine(Inv, $"- New regression alerts: {all.Count(x => x.Cp.NewAlert)}").AppendLine();

        var fresh = r.NewRegressions.ToList();
        if (fresh.Count == 0)
        {
            sb.AppendLine("## ✅ No New Regressions").AppendLine();
        }
        else
        {
            sb.AppendLine("## ⚠️ New Regressions").AppendLine();
            foreach (var (s, cp) in fresh)
            {
                AppendChangePoint(sb, s, cp, r.Alpha);
            }
        }

        var machine = all.Where(x => x.Cp.Cause == SuspectedCause.Machine).ToList();
        if (machine.Count > 0)
        {
            sb.AppendLine("## Suspected machine changes").AppendLine();
            sb.AppendLine(machine[0].Cp.Evidence).AppendLine();
            foreach (var (s, cp) in machine)
            {
                sb.AppendLine(Inv, $"- {s.Series.Title} on {s.Series.Machine ?? "?"} ({s.Series.Metric.Name}): {ReportText.Signed(cp.ChangePercent)} at {ReportText.Commit(cp.Commit)}");
            }

            sb.AppendLine();
        }

        if (all.Count > 0)
        {
            sb.AppendLine("## All change points").AppendLine();
            sb.AppendLine(Inv, $"| Benchmark | Machine | Metric | Between | Change | {Level(r.Alpha)} CI | Verdict | Cause | Alert |");
            sb.AppendLine("| --- | --- | --- | --- | ---: | --- | --- | --- | --- |");
            foreach (var (s, cp) in all)
            {
                var alert = cp.AlertId is { } id ? $"#{id} {cp.AlertStatus}{(cp.NewAlert ? " (new)" : "")}" : "";
                sb.AppendLine(Inv, $"| {ReportText.TableCell(s.Series.Title)} | {s.Series.Machine} | {s.Series.Metric.Name} | {ReportText.Commit(cp.PreviousCommit)} → {ReportText.Commit(cp.Commit)} | {ReportText.Signed(cp.ChangePercent)} | [{ReportText.Signed(cp.CiLowPercent)}, {ReportText.Signed(cp.CiHighPercent)}] | {cp.Verdict} | {(cp.Cause == SuspectedCause.Machine ? "machine" : "code")} | {alert} |");
            }

            sb.AppendLine();
        }

        sb.AppendLine("## Series").AppendLine();
        sb.AppendLine("| Benchmark | Machine | Metric | Points | Latest | Latest change point |");
        sb.AppendLine("| --- | --- | --- | ---: | ---: | --- |");
        foreach (var s in r.Series)
        {
            var last = s.ChangePoints.Count > 0 ? s.ChangePoints[^1] : null;
            sb.AppendLine(Inv, $"| {ReportText.TableCell(s.Series.Title)} | {s.Series.Machine} | {s.Series.Metric.Name} | {s.Series.Points.Count} | {ValueFormat.Value(s.Series.Metric, s.Series.Points[^1].Value)} | {(last is null ? "" : $"{ReportText.Signed(last.ChangePercent)} at {ReportText.Commit(last.Commit)}")} |");
        }

        sb.AppendLine();
        sb.AppendLine("One point per commit (its runs merged). A change point is a shift of level that E-divisive means finds and a t test between the neighbouring levels confirms (p ≤ 0.001, at least 3 commits on each side); it is reported when the change passes the threshold, and raises one alert the first time it is found.");
        return sb.ToString();
    }

    /// <summary>The points around a change point, in text: the last few of the old level and the first of the new.</summary>
    public static string RecentPoints(SeriesTrend s, TrendChangePoint cp, int each = 4)
    {
        var points = s.Series.Points;
        var from = Math.Max(0, cp.Index - each);
        var to = Math.Min(points.Count, cp.Index + each);
        var before = string.Join(" · ", points.Skip(from).Take(cp.Index - from).Select(p => $"{ReportText.Commit(p.Commit)} {ReportText.Number(p.Value)}"));
        var after = string.Join(" · ", points.Skip(cp.Index).Take(to - cp.Index).Select(p => $"{ReportText.Commit(p.Commit)} {ReportText.Number(p.Value)}"));
        return $"{before} ┃ {after}";
    }

    private static void AppendChangePoint(StringBuilder sb, SeriesTrend s, TrendChangePoint cp, double alpha)
    {
        sb.AppendLine(Inv, $"### {s.Series.Title}").AppendLine();
        sb.AppendLine(Inv, $"⚠️ **{s.Series.Metric.Label}** on {s.Series.Machine ?? "?"}: {ReportText.Signed(cp.ChangePercent)} ({Level(alpha)} CI [{ReportText.Signed(cp.CiLowPercent)}, {ReportText.Signed(cp.CiHighPercent)}]; threshold {ValueFormat.Percent(s.ThresholdPercent)}) between {ReportText.Commit(cp.PreviousCommit)} and {ReportText.Commit(cp.Commit)}{(cp.AlertId is { } id ? $"; alert #{id}" : "")}");
        sb.AppendLine(Inv, $"- Points: {RecentPoints(s, cp)}").AppendLine();
    }

    private static string Level(double alpha) => ((1 - (2 * alpha)) * 100).ToString("G", Inv) + "%";




}
