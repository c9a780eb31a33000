using BenchGate.Model;

namespace BenchGate.Detection;

/// <summary>The runs of one side of a comparison (baseline or current).</summary>
/// <param name="Label">What the side is (a commit, a file, a saved baseline).</param>
/// <param name="Runs">Its runs, each with its records.</param>
public sealed record ComparisonSide(string Label, IReadOnlyList<RunRecords> Runs)
{
    /// <summary>
    /// Records in input order, split into llama-bench invocations as ingest splits them (<see cref="Ingest.RunSplitter"/>),
    /// unless that gives over half again as many runs as grouping by repetition (<see cref="Ingest.RunAssigner"/>). Appended
    /// invocations give the same runs either way (a test that failed in one may add one run); rows stored configuration by
    /// configuration would make a run of nearly every row (K configurations × R repetitions: K(R−1)+1 runs against R), and
    /// are grouped by repetition instead.
    /// Run ids are prefix#1, prefix#2… in the order runs open.
    /// </summary>
    public static ComparisonSide FromRecords(string label, IEnumerable<BenchmarkRecord> records, string runIdPrefix)
    {
        var rows = records as IReadOnlyList<BenchmarkRecord> ?? [.. records];
        var splitter = new Ingest.RunSplitter();
        var assigner = new Ingest.RunAssigner();
        var streamed = new int[rows.Count];
        var repeated = new int[rows.Count];
        var streamedRuns = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            streamedRuns += splitter.StartsNewRun(rows[i]) ? 1 : 0;
            streamed[i] = streamedRuns - 1;
            repeated[i] = assigner.RunOf(rows[i]);
        }

        var (runOf, count) = Ingest.RunAssigner.Regroups(streamedRuns, assigner.RunCount) ? (repeated, assigner.RunCount) : (streamed, streamedRuns);
        var runs = new List<BenchmarkRecord>[count];
        for (var i = 0; i < rows.Count; i++)
        {
            (runs[runOf[i]] ??= []).Add(rows[i]);
        }

        return new ComparisonSide(label, [.. runs.Select((r, i) => new RunRecords($"{runIdPrefix}#{i + 1}", r[0].BuildCommit, r))]);
    }

    /// <summary>
    /// Marks run i of each side as one pair (files written by interleaved runs: baseline, current, baseline, …), so that
    /// detect analyses their differences. Both sides must hold the same number of runs.
    /// </summary>
    /// <exception cref="ArgumentException">The sides hold different numbers of runs.</exception>
    public static (ComparisonSide Baseline, ComparisonSide Current) PairByOrder(ComparisonSide baseline, ComparisonSide current)
    {
        if (baseline.Runs.Count != current.Runs.Count)
        {
            throw new ArgumentException($"pairs need as many baseline runs as current runs (baseline {baseline.Runs.Count}, current {current.Runs.Count})", nameof(current));
        }

        return (baseline with { Runs = [.. baseline.Runs.Select((r, i) => r with { PairId = $"order-{i + 1}" })] },
            current with { Runs = [.. current.Runs.Select((r, i) => r with { PairId = $"order-{i + 1}" })] });
    }
}

/// <summary>One llama-bench invocation's records.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Commit">Its commit, when known.</param>
/// <param name="Records">Its results.</param>
/// <param name="PairId">Set on a baseline run and a current run made one after the other on one machine (run --interleave): detect analyses their difference.</param>
public sealed record RunRecords(string RunId, string? Commit, IReadOnlyList<BenchmarkRecord> Records, string? PairId = null);

/// <summary>Earlier runs of a benchmark, for its usual run-to-run noise.</summary>
public interface INoiseHistory
{
    /// <summary>Earlier run values of <paramref name="metric"/> for the benchmark, newest first, excluding the given runs.</summary>
    IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns);
}

/// <summary>A history that knows nothing.</summary>
public sealed class NoHistory : INoiseHistory
{
    public static readonly NoHistory Instance = new();

    public IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) => [];
}

/// <summary>How detect decides.</summary>
/// <param name="Thresholds">Per benchmark and metric, in percent.</param>
/// <param name="Alpha">One-sided level of each direction's test, with the false-discovery rate controlled at α over all benchmarks × metrics; intervals are (1 − 2α) two-sided.</param>
/// <param name="Metrics">What is compared.</param>
public sealed record DetectionSettings(Thresholds Thresholds, double Alpha = 0.01, IReadOnlyList<Metric>? Metrics = null)
{
    public IReadOnlyList<Metric> MetricList => Metrics ?? Metric.Defaults;
}

/// <summary>One benchmark and metric, compared.</summary>
/// <param name="Key">The benchmark.</param>
/// <param name="Title">Its heading in reports.</param>
/// <param name="Metric">What was compared.</param>
/// <param name="ThresholdPercent">Threshold in force.</param>
/// <param name="Estimate">The change with its interval.</param>
/// <param name="QValue">p-value adjusted for all comparisons (Benjamini–Hochberg).</param>
/// <param name="Verdict">What the data say.</param>
/// <param name="KnownFalsePositive">An alert for this benchmark, metric and commits was marked false_positive: reported, not failing.</param>
/// <param name="Reason">For Inconclusive: a possible regression (a warning) or no evidence either way.</param>
public sealed record BenchmarkComparison(BenchmarkKey Key, string Title, Metric Metric, double ThresholdPercent, ChangeEstimate Estimate, double QValue, Verdict Verdict,
    bool KnownFalsePositive = false, InconclusiveReason Reason = InconclusiveReason.None)
{
    /// <summary>A regression that fails the gate (not one marked false positive).</summary>
    public bool IsFailingRegression => Verdict == Verdict.Regression && !KnownFalsePositive;

    /// <summary>Worth a ⚠️: a regression past the threshold is possible but not established.</summary>
    public bool IsWarning => Verdict == Verdict.Inconclusive && Reason == InconclusiveReason.PossibleRegression;
}
