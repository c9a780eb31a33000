using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Statistics;
using BenchGate.Trend;

namespace BenchGate.Tests.Trend;

/// <summary>trend's points built from runs handed over one at a time (a long history is never held), on real runs.</summary>
public sealed class TrendSeriesAccumulatorTests
{
    private static IReadOnlyList<TrendSeries> Series(IEnumerable<TrendRun> runs, TrendFilter? filter = null)
    {
        var series = new TrendSeriesAccumulator([Metric.TokensPerSecond], filter);
        new TrendRunList(runs).Read(series.Add);
        return series.Build(TrendSeriesBuilder.Order(series.Commits, null), "master", 0.01);
    }

    private static TrendRun As(TrendRun run, string commit, string runId) => run with { Run = run.Run with { Commit = commit, RunId = runId } };

    [Fact]
    public void A_commit_run_again_later_has_one_point_of_both_runs_in_its_own_place()
    {
        var runs = TrendAnalyzerTests.Runs("history/master_history.jsonl", take: 6);
        var again = As(runs[5], "c2", "again");
        var together = Series([runs[0], runs[1], again, runs[2], runs[3]]);
        var later = Series([runs[0], runs[1], runs[2], runs[3], again]);

        Assert.Equal(together.Count, later.Count);
        for (var i = 0; i < later.Count; i++)
        {
            Assert.Equal(together[i].Points, later[i].Points);
        }

        var series = later[0];
        Assert.Equal(["c1", "c2", "c3", "c4"], series.Points.Select(p => p.Commit));
        var c2 = series.Points[1];
        Assert.Equal(2, c2.Runs);
        var (first, second) = (runs[1].Run.Records.Single(r => r.Key == series.Key).AvgTs, runs[5].Run.Records.Single(r => r.Key == series.Key).AvgTs);
        Assert.Equal(Math.Sqrt(first * second), c2.Value, 1e-9 * c2.Value);
        Assert.True(c2.Low < c2.Value && c2.Value < c2.High);
    }

    [Fact]
    public void A_lone_run_without_samples_takes_its_interval_from_stddev_over_five_repetitions()
    {
        var run = TrendAnalyzerTests.Runs("history/master_history.jsonl", take: 1)[0];
        var bare = run with { Run = run.Run with { Records = [.. run.Run.Records.Select(WithoutSamples)] } };
        var withSamples = Series([run])[0];
        var without = Series([bare])[0];
        var record = bare.Run.Records.Single(r => r.Key == without.Key);

        var half = StudentT.Quantile(0.99, 4) * (record.StddevTs!.Value / record.AvgTs) / Math.Sqrt(5);
        var point = Assert.Single(without.Points);
        Assert.Equal(record.AvgTs, point.Value, 1e-9 * point.Value);
        Assert.Equal(record.AvgTs * Math.Exp(-half), point.Low, 1e-9 * point.Value);
        Assert.Equal(record.AvgTs * Math.Exp(half), point.High, 1e-9 * point.Value);
        // With its samples the same run's interval comes from their spread instead; with samples_ts alone (no samples_ns,
        // so the point does not use samples) from stddev again.
        Assert.NotEqual(point.Low, Assert.Single(withSamples.Points).Low);
        var tsOnly = run with { Run = run.Run with { Records = [.. run.Run.Records.Select(r => WithoutSamples(r, r.SamplesTs))] } };
        Assert.Equal(point, Assert.Single(Series([tsOnly]).First(s => s.Key == without.Key).Points));
    }

    [Fact]
    public void Series_are_built_once()
    {
        var accumulator = new TrendSeriesAccumulator([Metric.TokensPerSecond]);
        var run = TrendAnalyzerTests.Runs("history/master_history.jsonl", take: 1)[0];
        accumulator.Add(run);
        Assert.NotEmpty(accumulator.Build(accumulator.Commits, "master", 0.01));
        Assert.Throws<InvalidOperationException>(() => accumulator.Add(run));
        Assert.Throws<ArgumentException>(() => new TrendSeriesAccumulator([]));
    }

    [Fact]
    public void Runs_the_filter_leaves_empty_add_no_commit()
    {
        var runs = TrendAnalyzerTests.Runs("history/master_history.jsonl", take: 3);
        var key = runs[0].Run.Records[0].Key;
        var other = runs[1] with { Run = runs[1].Run with { Records = [.. runs[1].Run.Records.Where(r => r.Key != key)] } };
        var accumulator = new TrendSeriesAccumulator([Metric.TokensPerSecond], new TrendFilter(KeyHashes: new HashSet<string> { key.Hash }));
        new TrendRunList([runs[0], other, runs[2]]).Read(accumulator.Add);

        Assert.Equal(["c1", "c3"], accumulator.Commits);
        var series = Assert.Single(accumulator.Build(accumulator.Commits, "master", 0.01));
        Assert.Equal(key, series.Key);
        Assert.Equal(["c1", "c3"], series.Points.Select(p => p.Commit));
    }

    private static BenchmarkRecord WithoutSamples(BenchmarkRecord r) => WithoutSamples(r, null);

    private static BenchmarkRecord WithoutSamples(BenchmarkRecord r, double[]? samplesTs) =>
        new([.. LlamaBenchSchema.Fields.Select(f => r.Get(f.Ordinal))], [], null, samplesTs, null, r.SourceLine);
}
