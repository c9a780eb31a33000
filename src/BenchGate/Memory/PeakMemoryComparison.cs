using BenchGate.Detection;

namespace BenchGate.Memory;

/// <summary>One run's peak memory as run or ci stored it: resident (rss) or on the GPU (gpu), for one llama-bench invocation.</summary>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Kind">"rss" or "gpu" (memory_leak_logs' detector).</param>
/// <param name="Invocation">llama-bench's arguments (the program's own path left out, so two builds' runs compare).</param>
/// <param name="PeakMb">The peak, in MB.</param>
public sealed record RunPeak(string RunId, string Kind, string Invocation, double PeakMb);

/// <summary>
/// detect's peak-memory comparison: for each llama-bench invocation and kind of memory stored on both sides, the
/// runs' peaks compared as any metric is (runs as the unit, an interval, a one-sided test, the threshold), with
/// more memory the worse direction. Fewer than two runs a side tell nothing about the spread: not compared.
/// </summary>
public static class PeakMemoryComparison
{
    public static readonly Metric PeakRss = new("peak_rss_mb", "Peak memory", HigherIsBetter: false);

    public static readonly Metric PeakGpu = new("peak_gpu_mb", "Peak GPU memory", HigherIsBetter: false);

    public const int MinRuns = 2;

    public static IReadOnlyList<MemoryRegression> Compare(IReadOnlyList<RunPeak> baseline, IReadOnlyList<RunPeak> current, Thresholds thresholds, double alpha)
    {
        var result = new List<MemoryRegression>();
        var before = baseline.GroupBy(p => (p.Kind, p.Invocation)).ToDictionary(g => g.Key, g => PerRun(g));
        foreach (var group in current.GroupBy(p => (p.Kind, p.Invocation)).OrderBy(g => g.Key.Invocation, StringComparer.Ordinal).ThenBy(g => g.Key.Kind == "gpu" ? 1 : 0))
        {
            if (!before.TryGetValue(group.Key, out var b) || b.Count < MinRuns || PerRun(group) is not { Count: >= MinRuns } c)
            {
                continue;
            }

            var metric = group.Key.Kind == "gpu" ? PeakGpu : PeakRss;
            result.Add(Judge(group.Key.Kind == "gpu" ? group.Key.Invocation + " (GPU)" : group.Key.Invocation, metric, b, c, thresholds.ForMetric(metric), alpha));
        }

        return result;
    }

    /// <summary>One source's peaks (MB, a value a run) on both sides, judged as a metric where more is worse.</summary>
    public static MemoryRegression Judge(string source, Metric metric, IReadOnlyList<double> baseline, IReadOnlyList<double> current, double thresholdPercent, double alpha)
    {
        var estimate = ChangeAnalysis.Analyse([.. baseline.Select((v, i) => new RunValue($"b{i}", v, null, null))], [.. current.Select((v, i) => new RunValue($"c{i}", v, null, null))], [], alpha, false);
        return new MemoryRegression(source, estimate, Detector.Decide(metric, thresholdPercent, estimate, estimate.PValue, alpha), metric);
    }

    /// <summary>One value a run (a run that logged twice keeps its larger peak).</summary>
    private static List<double> PerRun(IEnumerable<RunPeak> peaks) => [.. peaks.GroupBy(p => p.RunId).Select(g => g.Max(p => p.PeakMb)).Where(v => v > 0)];
}
