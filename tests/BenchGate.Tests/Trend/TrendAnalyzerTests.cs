using BenchGate.Detection;
using BenchGate.Tests.Ingest;
using BenchGate.Trend;

namespace BenchGate.Tests.Trend;

/// <summary>Change points on the real histories of tests/fixtures/history (one llama-bench run per commit, CPU, 2 cores).</summary>
public sealed class TrendAnalyzerTests
{
    /// <summary>The fixture's runs as commits c1, c2, … of one machine.</summary>
    internal static List<TrendRun> Runs(string fixture, string machine = "runner-1", int skip = 0, int take = int.MaxValue)
    {
        var side = ComparisonSide.FromRecords(fixture, FixtureReading.Records(fixture), fixture);
        return [.. side.Runs.Skip(skip).Take(take).Select((r, i) => new TrendRun(r with { Commit = $"c{skip + i + 1}" }, machine, "master"))];
    }

    internal static IReadOnlyList<SeriesTrend> Analyse(List<TrendRun> runs, Metric? metric = null)
    {
        var order = TrendSeriesBuilder.Order(runs, null);
        var series = TrendSeriesBuilder.Build(runs, order, [metric ?? Metric.TokensPerSecond], "master", 0.01);
        var analyzer = new TrendAnalyzer(Thresholds.Uniform(5));
        var position = order.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        return MachineCauses.Mark([.. series.Select(s => analyzer.Analyse(s))], position);
    }

    private static SeriesTrend Find(IReadOnlyList<SeriesTrend> trends, string model, string test) =>
        trends.Single(t => t.Series.Key["model_filename"] == $"tiny-llama-{model}-f32.gguf" && t.Series.Test == test);

    [Fact]
    public void The_real_step_in_master_history_is_found_at_its_commit_and_blamed_on_the_commit()
    {
        var trends = Analyse(Runs("history/master_history.jsonl"));
        foreach (var model in new[] { "small", "large" })
        {
            var pp = Assert.Single(Find(trends, model, "pp64").ChangePoints);
            Assert.Equal(("c13", "c12", Verdict.Regression, SuspectedCause.Code), (pp.Commit, pp.PreviousCommit, pp.Verdict, pp.Cause));
            Assert.InRange(pp.ChangePercent, -14, -9);
            Assert.True(pp.CiLowPercent < pp.ChangePercent && pp.ChangePercent < pp.CiHighPercent && pp.CiHighPercent < -5);
        }

        var tgLarge = Find(trends, "large", "tg16").ChangePoints[0];
        Assert.Equal(("c13", Verdict.Improvement, SuspectedCause.Code), (tgLarge.Commit, tgLarge.Verdict, tgLarge.Cause));
        Assert.Empty(Find(trends, "small", "tg16").ChangePoints);
    }

    [Fact]
    public void The_machine_that_slowed_in_aa_history_is_not_blamed_on_a_commit()
    {
        var trends = Analyse(Runs("history/aa_history.jsonl"));
        Assert.Equal(4, trends.Count);
        Assert.All(trends, t =>
        {
            var cp = Assert.Single(t.ChangePoints);
            Assert.Equal(Verdict.Regression, cp.Verdict);
            Assert.Equal(SuspectedCause.Machine, cp.Cause);
            Assert.InRange(int.Parse(cp.Commit[1..], System.Globalization.CultureInfo.InvariantCulture), 12, 15);
            Assert.Contains("4 of 4 benchmarks on runner-1", cp.Evidence, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("history/aa_history.jsonl", 15, 25)]
    [InlineData("history/aa_history.jsonl", 0, 11)]
    [InlineData("history/interleaved_aa_first.jsonl", 0, 10)]
    public void AA_histories_raise_no_change_point(string fixture, int skip, int take)
    {
        var trends = Analyse(Runs(fixture, skip: skip, take: take));
        Assert.All(trends, t => Assert.Empty(t.ChangePoints));
    }

    [Fact]
    public void A_single_outlying_run_is_not_a_change_point_in_the_middle_nor_at_the_end()
    {
        var rng = new Random(11);
        var values = Enumerable.Range(0, 30).Select(_ => 1000 * Math.Exp(0.03 * Gauss(rng))).ToArray();
        values[14] *= 1.6;
        var series = Series(values);
        Assert.Empty(new TrendAnalyzer(Thresholds.Uniform(5)).Analyse(series).ChangePoints);
        values[^1] *= 0.5;
        Assert.Empty(new TrendAnalyzer(Thresholds.Uniform(5)).Analyse(Series(values)).ChangePoints);
        // Three runs on the new level are a level.
        values[^2] *= 0.5;
        values[^3] *= 0.5;
        var step = Assert.Single(new TrendAnalyzer(Thresholds.Uniform(5)).Analyse(Series(values)).ChangePoints);
        Assert.Equal(27, step.Index);
    }

    [Fact]
    public void A_series_analysed_point_by_point_from_its_stored_state_ends_where_a_full_analysis_does()
    {
        var rng = new Random(5);
        var values = Enumerable.Range(0, 400).Select(i => 1000 * (i >= 150 ? 0.9 : 1) * (i >= 320 ? 1.15 : 1) * Math.Exp(0.03 * Gauss(rng))).ToArray();
        var analyzer = new TrendAnalyzer(Thresholds.Uniform(5));
        TrendState? state = null;
        SeriesTrend? last = null;
        for (var n = 1; n <= values.Length; n++)
        {
            last = analyzer.Analyse(Series(values[..n]), state);
            state = TrendAnalyzer.State(last);
        }

        var full = analyzer.Analyse(Series(values));
        Assert.Equal(full.ChangePoints.Select(c => (c.Commit, c.Verdict)), last!.ChangePoints.Select(c => (c.Commit, c.Verdict)));
        Assert.Equal(["c151", "c321"], full.ChangePoints.Select(c => c.Commit));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Point_by_point_from_the_stored_state_equals_a_full_analysis_whatever_the_series(int seed)
    {
        var rng = new Random(seed);
        var steps = Enumerable.Range(0, 4).Select(_ => (At: rng.Next(20, 280), Factor: 1 + ((rng.NextDouble() - 0.5) * 0.3))).ToList();
        var values = Enumerable.Range(0, 300).Select(i => 1000 * steps.Where(s => i >= s.At).Aggregate(1.0, (f, s) => f * s.Factor) * Math.Exp(0.04 * Gauss(rng))).ToArray();
        var detector = new ChangePointDetector();
        var logs = values.Select(v => Math.Log(v)).ToArray();
        ChangePointDetector.Analysis? last = null;
        for (var n = 1; n <= logs.Length; n++)
        {
            last = detector.Detect(logs.AsSpan(0, n), last?.Candidates, n - 1);
        }

        var full = detector.Detect(logs, null, 0);
        Assert.Equal(full.Candidates, last!.Candidates);
        Assert.Equal(full.Confirmed.Select(c => c.Index), last.Confirmed.Select(c => c.Index));
    }

    [Fact]
    public void A_change_point_narrowed_by_bisecting_is_the_one_stored_and_one_blamed_on_the_machine_then_the_code_fails_once()
    {
        var rng = new Random(8);
        var values = Enumerable.Range(0, 40).Select(i => 1000 * (i >= 20 ? 0.8 : 1) * Math.Exp(0.02 * Gauss(rng))).ToArray();
        var trend = new TrendAnalyzer(Thresholds.Uniform(5)).Analyse(Series(values));
        var cp = Assert.Single(trend.ChangePoints);
        Assert.Equal("c21", cp.Commit);

        // Stored as the range c12 → c30 when only those two were benchmarked; c13 … c29 came later (a bisection), and the
        // shift now sits at c21, nine positions from the stored commit but inside its range.
        var stored = new StoredChangePoint(7, "s", "c30", Up: false, AlertId: 3, AlertStatus: "open", PreviousCommit: "c12", Cause: SuspectedCause.Machine);
        var (series, continues) = TrendLedger.Reconcile([trend], [stored]);
        var same = Assert.Single(series[0].ChangePoints);
        Assert.False(same.NewAlert);
        Assert.Equal(7, continues[same]);
        Assert.Equal(3, same.AlertId);
        Assert.True(same.Escalated);
        var report = new TrendReport(DateTimeOffset.UnixEpoch, 5, 0.01, "test", series);
        Assert.Single(report.NewRegressions);

        // Stored as the code's already: it continues, and fails nothing.
        var (again, _) = TrendLedger.Reconcile([trend], [stored with { Cause = SuspectedCause.Code }]);
        Assert.Empty(new TrendReport(DateTimeOffset.UnixEpoch, 5, 0.01, "test", again).NewRegressions);
    }

    internal static TrendSeries Series(double[] values)
    {
        var key = FixtureReading.Records("llama-bench/formats/small_p64_n16_r3.jsonl")[0].Key;
        return new TrendSeries("s", key, "t", Metric.TokensPerSecond, "m", null, [.. values.Select((v, i) => new TrendPoint($"c{i + 1}", v, v, v, 1))]);
    }

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
