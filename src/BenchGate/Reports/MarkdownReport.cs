using System.Globalization;
using System.Text;
using BenchGate.Detection;

namespace BenchGate.Reports;

/// <summary>The spec's "Performance Regression Analysis Report", extended with intervals, noise and a full table.</summary>
public static class MarkdownReport
{
    public static string Render(DetectionReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Performance Regression Analysis Report").AppendLine();
        sb.AppendLine(inv, $"**Generated:** {r.Generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", inv)}");
        sb.AppendLine(inv, $"**Threshold:** {r.ThresholdPercent.ToString("F1", inv)}%");
        sb.AppendLine(inv, $"**Baseline:** {r.BaselineLabel} · **Current:** {r.CurrentLabel}").AppendLine();
        sb.AppendLine("## Summary");
        sb.AppendLine(inv, $"- Total Benchmarks Compared: {r.Benchmarks.Count}");
        sb.AppendLine(inv, $"- Regressions Found: {r.Count(Verdict.Regression)}");
        sb.AppendLine(inv, $"- Improvements Found: {r.Count(Verdict.Improvement)}");
        sb.AppendLine(inv, $"- Stable Benchmarks: {r.Count(Verdict.Stable)}");
        sb.AppendLine(inv, $"- Inconclusive: {r.Count(Verdict.Inconclusive)}");
        if (r.Added.Count + r.Removed.Count > 0)
        {
            sb.AppendLine(inv, $"- Only in current: {r.Added.Count} · only in baseline: {r.Removed.Count}");
        }

        sb.AppendLine();
        var regressions = r.Comparisons.Where(c => c.Verdict == Verdict.Regression).ToList();
        if (regressions.Count == 0)
        {
            sb.AppendLine("## ✅ No Performance Regressions Detected").AppendLine();
        }
        else
        {
            sb.AppendLine("## ⚠️ Performance Regressions Detected").AppendLine();
            foreach (var group in regressions.GroupBy(c => c.Title))
            {
                sb.AppendLine(inv, $"### {group.Key}").AppendLine();
                foreach (var c in group)
                {
                    var e = c.Estimate;
                    sb.AppendLine(inv, $"⚠️ **{c.Metric.Label}**:");
                    sb.AppendLine(inv, $"- Baseline: {ValueFormat.Value(c.Metric, e.BaselineValue)}");
                    sb.AppendLine(inv, $"- Current: {ValueFormat.Value(c.Metric, e.CurrentValue)}");
                    sb.AppendLine(inv, $"- Change: {ValueFormat.Change(e.ChangePercent)} ({Level(r)} CI {ValueFormat.Interval(e)}; threshold {ValueFormat.Percent(c.ThresholdPercent)})");
                    sb.AppendLine();
                }
            }
        }

        var inconclusive = r.Comparisons.Where(c => c.Verdict == Verdict.Inconclusive).ToList();
        if (inconclusive.Count > 0)
        {
            sb.AppendLine("## ⚠️ Inconclusive").AppendLine();
            sb.AppendLine("The data cannot tell whether these changes pass the threshold; more runs narrow the interval.").AppendLine();
            foreach (var c in inconclusive)
            {
                sb.AppendLine(inv, $"- {c.Title} — {c.Metric.Label}: {ValueFormat.Change(c.Estimate.ChangePercent)} ({Level(r)} CI {ValueFormat.Interval(c.Estimate)}), smallest detectable change {ValueFormat.Percent(c.Estimate.MinimumDetectablePercent)}");
            }

            sb.AppendLine();
        }

        AppendKeys(sb, "## Only in current (added)", r.Added);
        AppendKeys(sb, "## Only in baseline (removed)", r.Removed);

        sb.AppendLine("## All benchmarks").AppendLine();
        sb.AppendLine(inv, $"| Benchmark | Metric | Baseline | Current | Change | {Level(r)} CI | Verdict | Noise | Detectable | Runs |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |");
        foreach (var c in r.Comparisons)
        {
            var e = c.Estimate;
            sb.AppendLine(inv, $"| {Cell(c.Title)} | {c.Metric.Name} | {ValueFormat.Value(c.Metric, e.BaselineValue)} | {ValueFormat.Value(c.Metric, e.CurrentValue)} | {ValueFormat.Change(e.ChangePercent)} | {ValueFormat.Interval(e)} | {Icon(c.Verdict)} {c.Verdict} | {ValueFormat.Noise(e)} | {ValueFormat.Percent(e.MinimumDetectablePercent)} | {e.BaselineRuns} → {e.CurrentRuns} |");
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"Runs are the unit of replication; a Regression is a change statistically established (one-sided α = {r.Alpha.ToString("G", inv)}, false discoveries controlled over all {r.Comparisons.Count} comparisons) whose estimate passes the threshold. \"Detectable\" is the smallest change these runs would find 80% of the time.");
        return sb.ToString();
    }

    // The spec's titles use '|' between their parts; inside a table cell it must be escaped.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Level(DetectionReport r) => ((1 - (2 * r.Alpha)) * 100).ToString("G", CultureInfo.InvariantCulture) + "%";

    private static string Icon(Verdict v) => v switch
    {
        Verdict.Regression => "❌",
        Verdict.Improvement => "🚀",
        Verdict.Inconclusive => "⚠️",
        _ => "✅",
    };

    private static void AppendKeys(StringBuilder sb, string heading, IReadOnlyList<(Model.BenchmarkKey Key, string Title)> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        sb.AppendLine(heading).AppendLine();
        foreach (var (_, title) in keys)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {title}");
        }

        sb.AppendLine();
    }
}
