using BenchGate.Detection;

namespace BenchGate.Reports;

/// <summary>detect's lines for the terminal or the CI log: the counts, each regression and possible regression, where the report went.</summary>
public static class DetectSummaryText
{
    /// <param name="r">The report.</param>
    /// <param name="files">The report files written, as named to the user.</param>
    /// <param name="recordedIn">The database the current runs were recorded in, or null when they were not.</param>
    /// <param name="alerts">The ids of the alerts stored.</param>
    public static string Render(DetectionReport r, IReadOnlyList<string> files, string? recordedIn, IReadOnlyList<long> alerts)
    {
        var o = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        var inconclusiveCount = r.Count(Verdict.Inconclusive);
        o.WriteLine($"{Words.Count(r.Benchmarks.Count, "benchmark")} compared ({r.BaselineLabel} → {r.CurrentLabel}): {Words.Count(r.Count(Verdict.Regression), "regression")}, {Words.Count(r.Count(Verdict.Improvement), "improvement")}, {r.Count(Verdict.Stable)} stable, {inconclusiveCount} inconclusive{(inconclusiveCount > 0 ? $" ({Words.Count(r.Warnings, "possible regression")}, {inconclusiveCount - r.Warnings} too noisy to tell)" : "")}{(r.Memory is { Count: > 0 } ? $"; peak memory: {Words.Count(r.MemoryRegressions.Count, "regression")} in {r.Memory.Count} compared" : "")}");
        const int MaxInconclusiveLines = 6;
        var inconclusive = r.Comparisons.Where(c => c.IsWarning).ToList();
        foreach (var c in r.Comparisons.Where(c => c.Verdict == Verdict.Regression).Concat(inconclusive.Take(MaxInconclusiveLines)))
        {
            var note = c.KnownFalsePositive ? " (marked false positive: not failing)" : "";
            o.WriteLine($"  {(c.IsWarning ? "possible regression" : c.Verdict.ToString().ToLowerInvariant())}: {c.Title} {c.Metric.Name} {ValueFormat.Change(c.Estimate.ChangePercent)} [{ValueFormat.Interval(c.Estimate)}]{note}");
        }

        foreach (var m in r.MemoryRegressions)
        {
            o.WriteLine($"  peak memory regression: {m.Source} {ValueFormat.Change(m.Estimate.ChangePercent)} [{ValueFormat.Interval(m.Estimate)}]");
        }

        if (inconclusive.Count > MaxInconclusiveLines)
        {
            o.WriteLine($"  … and {inconclusive.Count - MaxInconclusiveLines} more possible regressions (in the report)");
        }

        if (r.Added.Count + r.Removed.Count > 0)
        {
            o.WriteLine($"  {r.Added.Count} benchmarks only in current, {r.Removed.Count} only in baseline (listed in the report)");
        }

        o.WriteLine($"report: {string.Join(", ", files)}");
        o.WriteLine(recordedIn is not null
            ? $"recorded the current runs in performance_history of {recordedIn}{(alerts.Count > 0 ? $"; alerts {string.Join(", ", alerts)} in regression_alerts" : "")}"
            : "not recorded: the current results are not a database (or --no-record)");
        return o.ToString();
    }
}
