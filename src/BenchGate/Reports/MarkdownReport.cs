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
        sb.AppendLine(inv, $"- Regressions Found: {r.FailingRegressions}");
        var known = r.Count(Verdict.Regression) - r.FailingRegressions;
        if (known > 0)
        {
            sb.AppendLine(inv, $"- Marked false positive (not failing): {known}");
        }

        sb.AppendLine(inv, $"- Improvements Found: {r.Count(Verdict.Improvement)}");
        sb.AppendLine(inv, $"- Stable Benchmarks: {r.Count(Verdict.Stable)}");
        var inconclusiveCount = r.Count(Verdict.Inconclusive);
        sb.AppendLine(inv, $"- Inconclusive: {inconclusiveCount}{(inconclusiveCount > 0 ? $" ({r.Warnings} possible regressions ⚠️, {inconclusiveCount - r.Warnings} too noisy to tell)" : "")}");
        if (r.Added.Count + r.Removed.Count > 0)
        {
            sb.AppendLine(inv, $"- Only in current: {r.Added.Count} · only in baseline: {r.Removed.Count}");
        }

        if (r.Memory is { Count: > 0 } memory)
        {
            sb.AppendLine(inv, $"- Peak memory compared: {memory.Count} · regressions: {r.MemoryRegressions.Count}");
        }

        sb.AppendLine();
        var regressions = r.Comparisons.Where(c => c.IsFailingRegression).ToList();
        if (r.ComparedNothing)
        {
            sb.AppendLine("## ❌ Nothing Compared").AppendLine();
            sb.AppendLine("No benchmark of the current results matches one of the baseline, so nothing could be judged: this is not a pass.");
            foreach (var m in r.Mismatch ?? [])
            {
                sb.AppendLine(inv, $"- {m}");
            }

            sb.AppendLine();
        }
        else if (regressions.Count == 0 && r.MemoryRegressions.Count > 0)
        {
            sb.AppendLine("## ⚠️ Peak Memory Regressions Detected").AppendLine();
            sb.AppendLine("The runs' speed did not regress; their peak memory did (see *Peak memory per run*).").AppendLine();
        }
        else if (regressions.Count == 0)
        {
            sb.AppendLine("## ✅ No Performance Regressions Detected").AppendLine();
        }
        else
        {
            sb.AppendLine("## ⚠️ Performance Regressions Detected").AppendLine();
            AppendDetails(sb, r, regressions, "⚠️");
        }

        var falsePositives = r.Comparisons.Where(c => c.Verdict == Verdict.Regression && c.KnownFalsePositive).ToList();
        if (falsePositives.Count > 0)
        {
            sb.AppendLine("## Marked false positive").AppendLine();
            sb.AppendLine("An alert for these benchmarks and commits was marked false_positive: they are reported, and do not fail the gate.").AppendLine();
            AppendDetails(sb, r, falsePositives, "ℹ️");
        }

        var warnings = r.Comparisons.Where(c => c.IsWarning).ToList();
        if (warnings.Count > 0)
        {
            sb.AppendLine("## ⚠️ Possible regressions (inconclusive)").AppendLine();
            sb.AppendLine("These may be slower past the threshold, but the runs cannot establish it; more runs (or interleaved runs) narrow the interval.").AppendLine();
            foreach (var c in warnings)
            {
                sb.AppendLine(inv, $"- {c.Title} — {c.Metric.Label}: {ValueFormat.Change(c.Estimate.ChangePercent)} ({Level(r)} CI {ValueFormat.Interval(c.Estimate)}), smallest detectable change {ValueFormat.Percent(c.Estimate.MinimumDetectablePercent)}");
            }

            sb.AppendLine();
        }

        var noisy = r.Comparisons.Where(c => c.Verdict == Verdict.Inconclusive && !c.IsWarning).ToList();
        if (noisy.Count > 0)
        {
            var mdc = noisy.Select(c => c.Estimate.MinimumDetectablePercent).ToList();
            sb.AppendLine(inv, $"{noisy.Count} comparisons show no regression past the threshold but are too noisy to rule one out (smallest detectable change {ValueFormat.Percent(mdc.Min())}–{ValueFormat.Percent(mdc.Max())}); they are in the table below.");
            sb.AppendLine();
        }

        AppendMemory(sb, r);
        AppendKeys(sb, "## Only in current (added)", r.Added);
        AppendKeys(sb, "## Only in baseline (removed)", r.Removed);

        sb.AppendLine("## All benchmarks").AppendLine();
        sb.AppendLine(inv, $"| Benchmark | Metric | Baseline | Current | Change | {Level(r)} CI | Verdict | Noise | Detectable | Runs |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | --- | --- | --- | ---: | ---: |");
        sb.EnsureCapacity(sb.Length + (r.Comparisons.Count * 200));
        foreach (var c in r.Comparisons)
        {
            // Cell by cell into the report: one line per comparison, 30,000 in a large detect.
            var e = c.Estimate;
            ReportText.AppendTableCell(sb.Append("| "), c.Title).Append(" | ").Append(c.Metric.Name).Append(" | ");
            ValueFormat.AppendValue(sb, c.Metric, e.BaselineValue).Append(" | ");
            ValueFormat.AppendValue(sb, c.Metric, e.CurrentValue).Append(" | ");
            ValueFormat.AppendChange(sb, e.ChangePercent).Append(" | ");
            ValueFormat.AppendInterval(sb, e).Append(" | ").Append(VerdictCell(c)).Append(" | ");
            ValueFormat.AppendNoise(sb, e).Append(" | ");
            ValueFormat.AppendPercent(sb, e.MinimumDetectablePercent).Append(inv, $" | {e.BaselineRuns} → {e.CurrentRuns} |").AppendLine();
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"Runs are the unit of replication: a run's value is llama-bench's mean of its repetitions, and Baseline, Current and Change compare the geometric means of the runs' values (pairs of interleaved runs: the mean of their ratios). A Regression is a change statistically established (one-sided α = {r.Alpha.ToString("G", inv)}, false discoveries controlled over all {r.Comparisons.Count} comparisons) whose estimate passes the threshold. \"Detectable\" is the smallest change these runs would find 80% of the time.");
        return sb.ToString();
    }

    /// <summary>Each llama-bench invocation's peak memory (RSS, GPU) per run, baseline against current, judged like a metric.</summary>
    private static void AppendMemory(StringBuilder sb, DetectionReport r)
    {
        if (r.Memory is not { Count: > 0 } memory)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("## Peak memory per run").AppendLine();
        sb.AppendLine(inv, $"| llama-bench arguments | Baseline | Current | Change | {Level(r)} CI | Verdict | Runs |");
        sb.AppendLine("| --- | ---: | ---: | ---: | --- | --- | ---: |");
        foreach (var m in memory)
        {
            var e = m.Estimate;
            var verdict = m.Verdict switch { Verdict.Regression => "❌ Regression", Verdict.Improvement => "🚀 Improvement", Verdict.Inconclusive => "❔ Inconclusive", _ => "✅ Stable" };
            sb.AppendLine(inv, $"| `{m.Source.Replace("`", "'", StringComparison.Ordinal)}` | {e.BaselineValue:F1} MB | {e.CurrentValue:F1} MB | {ValueFormat.Change(e.ChangePercent)} | {ValueFormat.Interval(e)} | {verdict} | {e.BaselineRuns} → {e.CurrentRuns} |");
        }

        sb.AppendLine();
        sb.AppendLine("The peak resident memory (and, marked (GPU), device memory) of each run that `benchgate run` or `ci` stored, for the same llama-bench arguments on both sides: more is worse, and a Regression fails the gate like a slower benchmark.").AppendLine();
    }

    private static string Level(DetectionReport r) => ((1 - (2 * r.Alpha)) * 100).ToString("G", CultureInfo.InvariantCulture) + "%";

    private static string VerdictCell(BenchmarkComparison c) => c.Verdict switch
    {
        Verdict.Regression => c.KnownFalsePositive ? "ℹ️ Regression (marked false positive)" : "❌ Regression",
        Verdict.Improvement => "🚀 Improvement",
        Verdict.Inconclusive => c.Reason switch
        {
            InconclusiveReason.PossibleRegression => "⚠️ Inconclusive: possible regression",
            InconclusiveReason.PossibleImprovement => "❔ Inconclusive: possible improvement",
            _ => "❔ Inconclusive: no evidence of a change",
        },
        _ => "✅ Stable",
    };

    private static void AppendDetails(StringBuilder sb, DetectionReport r, List<BenchmarkComparison> comparisons, string icon)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var group in comparisons.GroupBy(c => c.Title))
        {
            sb.AppendLine(inv, $"### {group.Key}").AppendLine();
            foreach (var c in group)
            {
                var e = c.Estimate;
                sb.AppendLine(inv, $"{icon} **{c.Metric.Label}**:");
                sb.AppendLine(inv, $"- Baseline: {ValueFormat.Value(c.Metric, e.BaselineValue)}");
                sb.AppendLine(inv, $"- Current: {ValueFormat.Value(c.Metric, e.CurrentValue)}");
                sb.AppendLine(inv, $"- Change: {ValueFormat.Change(e.ChangePercent)} ({Level(r)} CI {ValueFormat.Interval(e)}; threshold {ValueFormat.Percent(c.ThresholdPercent)}; noise {ValueFormat.Noise(e)})");
                sb.AppendLine();
            }
        }
    }

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
