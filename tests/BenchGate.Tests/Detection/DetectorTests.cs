using BenchGate.Detection;
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

        // A pull request's stricter threshold caps every value, and leaves a stricter one alone.
        var capped = t with { CapPercent = 4 };
        Assert.Equal((4, 1, 4), (capped.For(tg, Metric.TokensPerSecond), capped.For(pp, Metric.ModelSize), capped.For(pp, Metric.TokensPerSecond)));
    }

    /// <summary>Each run of a side as one commit of the history.</summary>
    internal sealed class FixedHistory(ComparisonSide side) : INoiseHistory
    {
        public IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) =>
            [.. side.Runs.SelectMany(r => r.Records.Where(x => x.Key.Equals(key)).Select(x => metric.ValueOf(x, r.RunId, true)))
                .Where(v => v is { Value: > 0 }).Select(v => new HistoryValue(v!.Value.RunId, Math.Log(v.Value.Value)))];
    }

    /// <summary>A history of one run per commit whose commit-to-commit spread is <paramref name="sd"/> (a fixed pseudo-random series, rescaled).</summary>
    internal sealed class ConstantHistory(double sd, int n) : INoiseHistory
    {
        private readonly double[] _values = Series(sd, n);

        public IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) =>
            metric == Metric.ModelSize ? [] : [.. _values.Select((v, i) => new HistoryValue($"c{i}", v))];

        private static double[] Series(double sd, int n)
        {
            var rng = new Random(42);
            var xs = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var (estimate, _) = BenchGate.Statistics.Robust.StepRobustSd(xs);
            return [.. xs.Select(x => x * sd / estimate)];
        }
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

/// <summary>The history-aware parts of detection (issue #13): verdict reasons, step-robust history, paired runs.</summary>
public sealed class HistoryAwareDetectionTests
{
    private static ChangeEstimate E(double change, double lo, double hi, int historyPoints = 10, NoiseSource source = NoiseSource.Runs) =>
        new(100, 100 * (1 + (change / 100)), change, lo, hi, 0, 0, new NoiseEstimate(0.02, 10, source), 5, 5, true, historyPoints, historyPoints);

    [Fact]
    public void A_cold_start_improvement_needs_its_whole_interval_past_the_threshold_as_a_regression_does()
    {
        // The A/A split of issue #13: +11% with CI [+2.5%, +21.1%] and no history is not an improvement.
        var cold = VerdictRule.Decide(Metric.TokensPerSecond, 5, E(11, 2.5, 21.1, historyPoints: 0), 0.001, 0.01);
        Assert.Equal(new Decision(Verdict.Inconclusive, InconclusiveReason.PossibleImprovement), cold);
        Assert.Equal(Verdict.Improvement, VerdictRule.Decide(Metric.TokensPerSecond, 5, E(11, 6, 16.5, historyPoints: 0), 0.001, 0.01).Verdict);
        Assert.Equal(Verdict.Improvement, VerdictRule.Decide(Metric.TokensPerSecond, 5, E(11, 2.5, 21.1), 0.001, 0.01).Verdict);
        // Interleaved pairs see the machine's drift cancel: the estimate past the threshold is enough.
        Assert.Equal(Verdict.Regression, VerdictRule.Decide(Metric.TokensPerSecond, 5, E(-13, -20, -4, 0, NoiseSource.Pairs), 0.001, 0.01).Verdict);
    }

    [Theory]
    [InlineData(-0.3, -25, 25, 0.9, InconclusiveReason.NoEvidence)]
    [InlineData(-4, -20, 14, 0.5, InconclusiveReason.NoEvidence)]
    [InlineData(-8, -20, 4, 0.15, InconclusiveReason.PossibleRegression)]
    [InlineData(-8, -30, 14, 0.5, InconclusiveReason.NoEvidence)]
    [InlineData(-4, -7, -1, 0.001, InconclusiveReason.PossibleRegression)]
    [InlineData(8, -4, 20, 0.1, InconclusiveReason.PossibleImprovement)]
    public void Inconclusive_says_whether_a_regression_is_possible_or_there_is_no_evidence(double change, double lo, double hi, double q, InconclusiveReason reason) =>
        Assert.Equal(new Decision(Verdict.Inconclusive, reason), VerdictRule.Decide(Metric.TokensPerSecond, 5, E(change, lo, hi), q, 0.01));

    [Fact]
    public void After_a_66_percent_step_the_next_commits_smallest_detectable_change_is_what_it_was_before()
    {
        var rng = new Random(3);
        var level = Math.Log(7000);
        var before = Enumerable.Range(0, 30).Select(i => new HistoryValue($"c{i}", level + (0.07 * Gauss(rng)))).Reverse().ToList();
        // Newest first: the step commit (×0.34) is the newest point of the history.
        var after = new List<HistoryValue> { new("step", level + Math.Log(0.34) + (0.07 * Gauss(rng))) };
        after.AddRange(before.Take(29));
        RunValue Run(string id, double v) => new(id, v, 0.01, 5);

        var clean = ChangeAnalysis.Analyse([Run("b", 7000)], [Run("c", 7000)], before, 0.01, true);
        var stepped = ChangeAnalysis.Analyse([Run("b", 2400)], [Run("c", 2400)], after, 0.01, true);

        Assert.InRange(stepped.MinimumDetectablePercent / clean.MinimumDetectablePercent, 0.8, 1.25);
        Assert.True(stepped.MinimumDetectablePercent < 40, $"smallest detectable change {stepped.MinimumDetectablePercent:F0}%");
        Assert.Equal(NoiseSource.History, stepped.Noise.Source);
    }

    [Theory]
    [InlineData("tiny-llama-small-f32")]
    [InlineData("tiny-llama-large-f32")]
    public void Five_interleaved_pairs_of_the_avx2_build_are_a_pp64_regression_on_both_models(string model)
    {
        var report = Paired("history/interleaved_ab_native.jsonl", "history/interleaved_ab_avx2.jsonl", runs: 5);
        var pp64 = report.Comparisons.Single(c => c.Metric == Metric.TokensPerSecond && c.Key["model_filename"] == model + ".gguf" && c.Key["n_prompt"] == "64");
        Assert.Equal(NoiseSource.Pairs, pp64.Estimate.Noise.Source);
        Assert.Equal(Verdict.Regression, pp64.Verdict);
        Assert.InRange(pp64.Estimate.ChangePercent, -20, -8);
    }

    [Fact]
    public void Interleaved_AA_pairs_give_no_regression()
    {
        var report = Paired("history/interleaved_aa_first.jsonl", "history/interleaved_aa_second.jsonl", runs: 10);
        Assert.False(report.HasRegression);
        Assert.Equal(0, report.Warnings);
        Assert.All(report.Comparisons.Where(c => c.Metric != Metric.ModelSize), c => Assert.Equal(NoiseSource.Pairs, c.Estimate.Noise.Source));
    }

    [Fact]
    public void When_the_machine_slows_midway_the_pairs_cancel_it_and_still_find_the_regression_the_unpaired_analysis_misses()
    {
        // The real interleaved A/B, with the machine 15% slower for both builds from the third pair on.
        var native = Slow(Side("history/interleaved_ab_native.jsonl", 5), fromRun: 2, 0.85);
        var avx2 = Slow(Side("history/interleaved_ab_avx2.jsonl", 5), fromRun: 2, 0.85);
        var settings = new DetectionSettings(Thresholds.Uniform(5));
        var (b, c) = ComparisonSide.PairByOrder(native, avx2);
        var paired = new Detector(settings).Compare(b, c, DateTimeOffset.UnixEpoch);
        var unpaired = new Detector(settings).Compare(native, avx2, DateTimeOffset.UnixEpoch);
        BenchmarkComparison LargePp64(DetectionReport r) => r.Comparisons.Single(x => x.Metric == Metric.TokensPerSecond && x.Key["model_filename"] == "tiny-llama-large-f32.gguf" && x.Key["n_prompt"] == "64");

        Assert.Equal(Verdict.Regression, LargePp64(paired).Verdict);
        Assert.NotEqual(Verdict.Regression, LargePp64(unpaired).Verdict);
        Assert.True(LargePp64(paired).Estimate.MinimumDetectablePercent < LargePp64(unpaired).Estimate.MinimumDetectablePercent / 2);
    }

    private static ComparisonSide Slow(ComparisonSide side, int fromRun, double factor) => side with
    {
        Runs = [.. side.Runs.Select((r, i) => i < fromRun ? r : r with { Records = [.. r.Records.Select(x => Scaled(x, factor))] })],
    };

    private static BenchmarkRecord Scaled(BenchmarkRecord r, double factor)
    {
        var values = r.Values.ToArray();
        values[LlamaBenchSchema.Ordinal("avg_ts")] = FieldValue.FromReal(r.AvgTs * factor);
        values[LlamaBenchSchema.Ordinal("avg_ns")] = FieldValue.FromInteger((long)(r.AvgNs!.Value / factor));
        return new BenchmarkRecord(values, r.Extras, r.SamplesNs?.Select(s => (long)(s / factor)).ToArray(), r.SamplesTs?.Select(s => s * factor).ToArray(), r.ReportedStddevNs, r.SourceLine);
    }

    private static ComparisonSide Side(string fixture, int runs)
    {
        var side = ComparisonSide.FromRecords(fixture, FixtureReading.Records(fixture), fixture);
        return side with { Runs = [.. side.Runs.Take(runs)] };
    }

    private static DetectionReport Paired(string baseline, string current, int runs)
    {
        var (b, c) = ComparisonSide.PairByOrder(Side(baseline, runs), Side(current, runs));
        return new Detector(new DetectionSettings(Thresholds.Uniform(5))).Compare(b, c, DateTimeOffset.UnixEpoch);
    }

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
