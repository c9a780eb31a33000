namespace BenchGate.Profiling;

/// <summary>One llama-bench test's speed in the two profiled runs (perf's overhead included, the same in both).</summary>
public sealed record ProfiledSpeed(string Benchmark, double BaselineTokensPerSecond, double NewTokensPerSecond)
{
    public double ChangePercent => (NewTokensPerSecond / BaselineTokensPerSecond - 1) * 100;
}

/// <summary>One perf stat counter in both builds' runs (null where the machine cannot count it).</summary>
public sealed record CounterChange(string Name, string Unit, double? Baseline, double? New)
{
    public double? ChangePercent => Baseline is > 0 && New is { } n ? (n / Baseline.Value - 1) * 100 : null;
}

/// <summary>
/// profile's report model: the two builds' runs under perf, the functions whose cost changed most, and perf stat's
/// counters when asked for or when the builds have no symbols.
/// </summary>
/// <param name="BaselineBench">The baseline build's llama-bench.</param>
/// <param name="NewBench">The new build's llama-bench.</param>
/// <param name="Args">llama-bench's arguments, the same for both.</param>
/// <param name="Frequency">perf record's sampling frequency (samples a second of CPU time).</param>
/// <param name="Cpu">The sampled profiles and their function-by-function comparison.</param>
/// <param name="Speeds">The speeds llama-bench reported in the profiled runs.</param>
/// <param name="Counters">perf stat's counters, or null when they were not taken.</param>
/// <param name="Subject">What is profiled, e.g. an alert's benchmark, or null.</param>
/// <param name="Notes">What the reader should know: missing symbols, a tool that was not there.</param>
/// <param name="GpuKernels">Nsight Systems' CUDA kernels whose GPU time changed most; null when it did not run, failed, or saw no kernel (the notes say which).</param>
public sealed record ProfileComparison(string BaselineBench, string NewBench, IReadOnlyList<string> Args, int Frequency, ProfileDelta Cpu,
    IReadOnlyList<ProfiledSpeed> Speeds, IReadOnlyList<CounterChange>? Counters, string? Subject, IReadOnlyList<string> Notes,
    IReadOnlyList<GpuKernelChange>? GpuKernels = null)
{
    /// <summary>The functions a report lists: the largest changes in cost, at most <paramref name="top"/>.</summary>
    public IReadOnlyList<FunctionChange> Top(int top) => [.. Cpu.Functions.Take(top)];

    /// <summary>perf stat's counters of the two runs, by name, in the baseline's order.</summary>
    public static IReadOnlyList<CounterChange> PairCounters(IReadOnlyList<CounterValue> baseline, IReadOnlyList<CounterValue> current) =>
        [.. baseline.Select(b => new CounterChange(b.Name, b.Unit, b.Value, current.FirstOrDefault(c => c.Name == b.Name)?.Value))];
}

/// <summary>The speeds llama-bench reported in the two profiled runs, paired by benchmark.</summary>
public static class ProfiledSpeeds
{
    public static IReadOnlyList<ProfiledSpeed> Pair(IReadOnlyList<Model.BenchmarkRecord> baseline, IReadOnlyList<Model.BenchmarkRecord> current)
    {
        var titles = Detection.BenchmarkTitle.For([.. baseline.Select(r => r.Key).Concat(current.Select(r => r.Key)).Distinct()]);
        var now = current.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Average(r => r.AvgTs));
        return [.. baseline.GroupBy(r => r.Key).Where(g => now.ContainsKey(g.Key))
            .Select(g => new ProfiledSpeed(titles[g.Key], g.Average(r => r.AvgTs), now[g.Key]))];
    }
}
