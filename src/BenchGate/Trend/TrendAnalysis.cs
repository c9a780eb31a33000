using BenchGate.Detection;
using BenchGate.Model;

namespace BenchGate.Trend;

/// <summary>Which benchmarks trend looks at ('*' wildcards; unset matches anything).</summary>
/// <param name="Model">model_filename pattern.</param>
/// <param name="Backend">backends pattern.</param>
/// <param name="Test">llama-bench test name pattern (pp512, tg*).</param>
/// <param name="KeyHashes">Only these benchmarks (the ones a detect found regressed).</param>
public sealed record TrendFilter(string? Model = null, string? Backend = null, string? Test = null, IReadOnlySet<string>? KeyHashes = null)
{
    public bool Matches(BenchmarkKey key) =>
        Wildcard.Matches(Model, key["model_filename"]) && Wildcard.Matches(Backend, key["backends"])
        && (Test is null || (BenchmarkTitle.Test(key) is { } t && Wildcard.Matches(Test, t)))
        && (KeyHashes is null || KeyHashes.Contains(key.Hash));
}

/// <summary>One trend analysis.</summary>
/// <param name="Runs">Stored runs, in storage order.</param>
/// <param name="History">The branch's first-parent history (full hashes, oldest first), or null to order commits as their runs were stored.</param>
/// <param name="OrderDescription">How the commits were ordered, for the report.</param>
/// <param name="Branch">The branch the runs were taken from, when one was given.</param>
/// <param name="Filter">Which benchmarks.</param>
/// <param name="Metrics">Which metrics.</param>
/// <param name="Thresholds">Per benchmark and metric.</param>
/// <param name="Alpha">Intervals are (1 − 2α).</param>
/// <param name="Full">Analyse every series from scratch, ignoring the stored states.</param>
public sealed record TrendRequest(ITrendRuns Runs, IReadOnlyList<string>? History, string OrderDescription, string? Branch, TrendFilter Filter,
    IReadOnlyList<Metric> Metrics, Thresholds Thresholds, double Alpha = 0.01, bool Full = false);

/// <summary>The report, which stored change point each found one continues, the states to keep and the commits in the order used.</summary>
public sealed record TrendOutcome(TrendReport Report, IReadOnlyDictionary<TrendChangePoint, long> Continues, IReadOnlyList<(TrendSeries Series, TrendState State)> States,
    IReadOnlyList<string> Commits);

/// <summary>
/// The whole analysis, without I/O: series from runs, change points (incremental from each series' stored state),
/// machine causes, and which change points are new.
/// </summary>
public static class TrendAnalysis
{
    public static TrendOutcome Run(TrendRequest req, IReadOnlyDictionary<string, TrendState> states, IReadOnlyList<StoredChangePoint> stored, DateTimeOffset now)
    {
        // The runs are read once, into points: a history of millions of results is never held as records.
        var accumulator = new TrendSeriesAccumulator(req.Metrics, req.Filter);
        req.Runs.Read(accumulator.Add);
        var order = TrendSeriesBuilder.Order(accumulator.Commits, req.History);
        var series = accumulator.Build(order, req.Branch, req.Alpha);
        var analyzer = new TrendAnalyzer(req.Thresholds, req.Alpha);
        var analysed = new SeriesTrend[series.Count];
        Parallel.For(0, series.Count, i => analysed[i] = analyzer.Analyse(series[i], req.Full ? null : states.GetValueOrDefault(series[i].Id)));
        var position = order.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var marked = MachineCauses.Mark(analysed, position);
        var (reconciled, continues) = TrendLedger.Reconcile(marked, stored);
        var report = new TrendReport(now, req.Thresholds.DefaultPercent, req.Alpha, req.OrderDescription, reconciled);
        return new TrendOutcome(report, continues, [.. reconciled.Select(s => (s.Series, TrendAnalyzer.State(s)))], order);
    }
}
