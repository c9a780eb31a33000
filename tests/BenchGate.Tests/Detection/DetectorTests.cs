using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Tests.Ingest;

namespace BenchGate.Tests.Detection;

public sealed class DetectorTests
{
    private static ComparisonSide Side(string fixture, string label, Func<int, bool>? keepRun = null)
    {
        var side = ComparisonSide.FromRecords(label, FixtureReading.Records(fixture), label);
        return side with { Runs = [.. side.Runs.Where((_, i) => keepRun?.Invoke(i) ?? true)] };
    }

    private static DetectionReport Compare(ComparisonSide b, ComparisonSide c, INoiseHistory? history = null) =>
        new Detector(new DetectionSettings(Thresholds.Uniform(5)), history).Compare(b, c, DateTimeOffset.UnixEpoch);

    [Fact]
    public void The_real_slower_build_is_a_regression_on_pp512_and_tg128()
    {
        var report = Compare(Side("llama-bench/ab-cpu-long/ab_long_fast.jsonl", "fast"), Side("llama-bench/ab-cpu-long/ab_long_slow.jsonl", "slow"));
        var ts = report.Comparisons.Where(c => c.Metric == Metric.TokensPerSecond).ToDictionary(c => c.Key["n_gen"] == "0" ? "pp512" : "tg128");
        Assert.Equal(Verdict.Regression, ts["pp512"].Verdict);
        Assert.Equal(Verdict.Regression, ts["tg128"].Verdict);
        Assert.InRange(ts["pp512"].Estimate.ChangePercent, -68, -64);
        Assert.True(ts["pp512"].Estimate.CiLowPercent < -66 && ts["pp512"].Estimate.CiHighPercent > -67);
        Assert.Equal(Verdict.Stable, report.Comparisons.Single(c => c.Metric == Metric.ModelSize && c.Key.Equals(ts["pp512"].Key)).Verdict);
        Assert.True(report.HasRegression);
        Assert.Equal(2, report.Count(Verdict.Regression));
    }

    [Fact]
    public void The_faster_build_is_an_improvement_not_a_regression()
    {
        var report = Compare(Side("llama-bench/ab-cpu-long/ab_long_slow.jsonl", "slow"), Side("llama-bench/ab-cpu-long/ab_long_fast.jsonl", "fast"));
        Assert.False(report.HasRegression);
        Assert.Equal(Verdict.Improvement, report.Comparisons.Single(c => c.Metric == Metric.TokensPerSecond && c.Key["n_prompt"] == "512").Verdict);
    }

    [Fact]
    public void No_split_of_the_real_AA_runs_is_a_regression_when_history_knows_the_machine()
    {
        var all = Side("llama-bench/aa-cpu-small/aa.jsonl", "aa");
        var history = new FixedHistory(all);
        for (var split = 1; split < 10; split++)
        {
            var early = all with { Runs = [.. all.Runs.Take(split)] };
            var late = all with { Runs = [.. all.Runs.Skip(split)] };
            Assert.False(Compare(early, late, history).HasRegression, $"earlier {split} → later");
            Assert.False(Compare(late, early, history).HasRegression, $"later → earlier {split}");
        }
    }

    [Fact]
    public void A_benchmark_that_usually_moves_8_percent_is_not_flagged_for_a_10_percent_dip_in_one_run()
    {
        var baseline = Side("llama-bench/aa-cpu-small/aa.jsonl", "b", i => i == 0);
        var current = Side("llama-bench/aa-cpu-small/aa.jsonl", "c", i => i == 4);
        var noisy = new ConstantHistory(0.08, 20);
        var report = Compare(baseline, current, noisy);
        Assert.All(report.Comparisons.Where(c => c.Metric != Metric.ModelSize), c =>
        {
            Assert.NotEqual(Verdict.Regression, c.Verdict);
            Assert.Equal(NoiseSource.History, c.Estimate.Noise.Source);
            Assert.True(c.Estimate.MinimumDetectablePercent > 8);
        });
    }

    [Fact]
    public void Keys_on_one_side_only_are_listed_not_dropped()
    {
        var small = Side("llama-bench/formats/small_p64_n16_r3.jsonl", "s");
        var two = Side("llama-bench/formats/two_models.json", "t");
        var report = Compare(small, two);
        Assert.Equal(2, report.Added.Count);
        Assert.All(report.Added, a => Assert.StartsWith("tiny-llama-large-f32", a.Title, StringComparison.Ordinal));
        Assert.Empty(report.Removed);
        Assert.Equal(2, report.Benchmarks.Count);
    }

    [Fact]
    public void Verdict_rule_needs_significance_and_an_estimate_beyond_the_threshold()
    {
        ChangeEstimate E(double change, double lo, double hi, int history = 10) =>
            new(100, 100 * (1 + (change / 100)), change, lo, hi, 0, 0, new NoiseEstimate(0.02, 10, NoiseSource.Runs), 5, 5, true, history);
        Assert.Equal(Verdict.Regression, Detector.Decide(Metric.TokensPerSecond, 5, E(-8, -11, -5.5), 0.001, 0.01));
        Assert.Equal(Verdict.Stable, Detector.Decide(Metric.TokensPerSecond, 5, E(-3, -4, -2), 0.001, 0.01));
        Assert.Equal(Verdict.Inconclusive, Detector.Decide(Metric.TokensPerSecond, 5, E(-8, -20, 4), 0.3, 0.01));
        Assert.Equal(Verdict.Improvement, Detector.Decide(Metric.TokensPerSecond, 5, E(9, 6, 12), 0.001, 0.01));
        Assert.Equal(Verdict.Regression, Detector.Decide(Metric.Latency, 5, E(9, 6, 12), 0.001, 0.01));
        // Cold start (no history): the interval itself must clear the threshold.
        Assert.Equal(Verdict.Inconclusive, Detector.Decide(Metric.TokensPerSecond, 5, E(-8, -11, -3, history: 0), 0.001, 0.01));
    }

    [Fact]
    public void Thresholds_follow_metric_and_overrides()
    {
        var records = FixtureReading.Records("llama-bench/formats/small_p64_n16_r3.jsonl");
        var (pp, tg) = (records[0].Key, records[1].Key);
        var t = new Thresholds(5, new Dictionary<string, double> { ["model_size"] = 1 },
            [new ThresholdOverride(10, Backend: "CPU", Test: "tg*"), new ThresholdOverride(3, Model: "other*")]);
        Assert.Equal(10, t.For(tg, Metric.TokensPerSecond));
        Assert.Equal(10, t.For(tg, Metric.ModelSize));
        Assert.Equal(1, t.For(pp, Metric.ModelSize));
        Assert.Equal(5, t.For(pp, Metric.TokensPerSecond));
        Assert.Equal(5, Thresholds.Uniform(5).For(tg, Metric.Latency));
    }

    private sealed class FixedHistory(ComparisonSide side) : INoiseHistory
    {
        public IReadOnlyList<double> LogValues(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) =>
            [.. side.Runs.SelectMany(r => r.Records.Where(x => x.Key.Equals(key)).Select(x => metric.ValueOf(x, r.RunId, true)))
                .Where(v => v is { Value: > 0 }).Select(v => Math.Log(v!.Value))];
    }

    private sealed class ConstantHistory(double sd, int n) : INoiseHistory
    {
        public IReadOnlyList<double> LogValues(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) =>
            metric == Metric.ModelSize ? [] : [.. Enumerable.Range(0, n).Select(i => (i % 2 == 0 ? 1 : -1) * sd * Math.Sqrt((n - 1.0) / n))];
    }
}

public sealed class DetectionReportTests
{
    [Fact]
    public void A_copy_with_other_comparisons_recounts_its_verdicts()
    {
        var key = BenchGate.Tests.Ingest.FixtureReading.Records("llama-bench/formats/small_p64_n16_r3.jsonl")[0].Key;
        var e = new ChangeEstimate(1, 1, 0, 0, 0, 1, 0, new NoiseEstimate(0, 1, NoiseSource.None), 1, 1, false);
        var report = new DetectionReport(DateTimeOffset.UnixEpoch, 5, 0.01, "b", "c",
            [new BenchmarkComparison(key, "t", Metric.TokensPerSecond, 5, e, 0, Verdict.Regression)], [], []);
        Assert.Equal(1, report.Count(Verdict.Regression));
        var copy = report with { Comparisons = [report.Comparisons[0] with { Verdict = Verdict.Stable }] };
        Assert.Equal(0, copy.Count(Verdict.Regression));
        Assert.Equal(1, copy.Count(Verdict.Stable));
    }
}
