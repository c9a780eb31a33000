using System.Globalization;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Statistics;

namespace BenchGate.Bench.Detection;

/// <summary>
/// Detection quality, measured: replays labelled cases and prints false-positive rate and recall of BenchGate's
/// detector beside the spec's naive rule and pooled Mann–Whitney (bench/RESULTS.md, issue #3).
/// </summary>
internal static class DetectionHarness
{
    public static int Run(int trials)
    {
        var aa = FixtureRuns.Load("llama-bench/aa-cpu-small/aa.jsonl", "aa");
        var keys = aa[0].Records.Select(r => r.Key).ToList();
        var labels = aa[0].Records.Select(r => TestLabel.Format(r.NPrompt, r.NGen, r.NDepth)).ToList();
        var history = new RunsHistory(aa);

        Console.WriteLine("## Real A/A: aa-cpu-small, every split into earlier and later runs, both directions");
        Console.WriteLine();
        Console.WriteLine("| history | benchmark | cases | BenchGate: Regression | naive rule | Mann-Whitney |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, h) in new (string, INoiseHistory)[] { ("the 10 A/A runs", history), ("none (cold start)", NoHistory.Instance) })
        {
            for (var k = 0; k < keys.Count; k++)
            {
                int cases = 0, ours = 0, naive = 0, mw = 0;
                for (var split = 1; split < aa.Count; split++)
                {
                    var early = aa.Take(split).ToList();
                    var late = aa.Skip(split).ToList();
                    foreach (var (b, c) in new[] { (early, late), (late, early) })
                    {
                        cases++;
                        if (Detectors.BenchGate(b, c, keys[k], h, out var e))
                        {
                            ours++;
                            // Printed so that a false positive can be read, not only counted.
                            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"A/A regression: {name}, {labels[k]}, {b.Count} baseline runs vs {c.Count} current: {e!.ChangePercent:F1}% [{e.CiLowPercent:F1}, {e.CiHighPercent:F1}], noise {e.Noise.Source} {e.Noise.LogSd * 100:F1}% df {e.Noise.DegreesOfFreedom}, p {e.PValue:G3}"));
                        }

                        naive += Detectors.Naive(b, c, keys[k]) ? 1 : 0;
                        mw += Detectors.MannWhitneyPooled(b, c, keys[k]) ? 1 : 0;
                    }
                }

                Console.WriteLine($"| {name} | {labels[k]} | {cases} | {ours} | {naive} | {mw} |");
            }
        }

        RealAb();
        Synthetic("aa-cpu-small: 10 real runs, whose level moves 12–16% between runs 5 and 6", aa, keys, labels, history, trials);
        var interleaved = FixtureRuns.Load("history/interleaved_aa_first.jsonl", "f").Concat(FixtureRuns.Load("history/interleaved_aa_second.jsonl", "s")).ToList();
        var ikeys = interleaved[0].Records.Select(r => r.Key).ToList();
        var ilabels = interleaved[0].Records.Select(r => $"{BenchmarkKey.ModelName(r.Key["model_filename"]).Replace("tiny-llama-", "", StringComparison.Ordinal).Replace("-f32.gguf", "", StringComparison.Ordinal)} {TestLabel.Format(r.NPrompt, r.NGen, r.NDepth)}").ToList();
        Synthetic("interleaved A/A: 20 real runs of one binary, no level shift", interleaved, ikeys, ilabels, new RunsHistory(interleaved), trials);
        return 0;
    }

    private static void RealAb()
    {
        var fast = FixtureRuns.Load("llama-bench/ab-cpu-long/ab_long_fast.jsonl", "fast");
        var slow = FixtureRuns.Load("llama-bench/ab-cpu-long/ab_long_slow.jsonl", "slow");
        Console.WriteLine();
        Console.WriteLine("## Real A/B: ab-cpu-long, native build (baseline) against the build without AVX/AVX2/FMA/F16C");
        Console.WriteLine();
        Console.WriteLine("| benchmark | true ratio | BenchGate verdict | change [98% CI] | noise | naive | Mann-Whitney |");
        Console.WriteLine("| --- | ---: | --- | --- | --- | --- | --- |");
        // No other runs of these benchmarks exist: the detector has only the compared runs (cold start).
        var report = new Detector(new DetectionSettings(Thresholds.Uniform(5.0), Metrics: [Metric.TokensPerSecond]), NoHistory.Instance)
            .Compare(new ComparisonSide("fast", fast), new ComparisonSide("slow", slow), DateTimeOffset.UnixEpoch);
        foreach (var c in report.Comparisons)
        {
            var ratio = slow.SelectMany(r => r.Records).Where(x => x.Key.Equals(c.Key)).Average(x => x.AvgTs)
                / fast.SelectMany(r => r.Records).Where(x => x.Key.Equals(c.Key)).Average(x => x.AvgTs);
            var e = c.Estimate;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Title} | {ratio:F2} | {c.Verdict} | {e.ChangePercent:+0.0;-0.0}% [{e.CiLowPercent:+0.0;-0.0}, {e.CiHighPercent:+0.0;-0.0}] | {e.Noise.Source} {e.Noise.LogSd * 100:F1}% | {Detectors.Naive(fast, slow, c.Key)} | {Detectors.MannWhitneyPooled(fast, slow, c.Key)} |"));
        }
    }

    private static void Synthetic(string poolName, List<RunRecords> pool, List<BenchmarkKey> keys, List<string> labels, INoiseHistory history, int trials)
    {
        Console.WriteLine();
        Console.WriteLine($"## Synthetic: a slowdown injected into resampled real A/A runs ({trials} trials per cell and benchmark); pool: {poolName}");
        Console.WriteLine();
        Console.WriteLine("Runs are drawn with replacement from the pool's real runs for each side; the current side's samples are");
        Console.WriteLine("slowed by the shift. The oracle knows the true run-to-run spread of the pool and tests at BenchGate's");
        Console.WriteLine("measured false-positive rate with the same rule (significant and estimated beyond the 5% threshold);");
        Console.WriteLine("BenchGate knows the pool as history.");
        Console.WriteLine();
        Console.WriteLine("| benchmark | runs/side | shift | BenchGate recall | oracle power | ratio | CI covers shift | naive | Mann-Whitney |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var random = new Random(2026);
        for (var k = 0; k < keys.Count; k++)
        {
            var trueSd = Math.Sqrt(Robust.Variance([.. pool.Select(r => Math.Log(Metric.TokensPerSecond.ValueOf(r.Records.Single(x => x.Key.Equals(keys[k])), r.RunId, true)!.Value.Value))]));
            foreach (var n in new[] { 1, 3, 5, 10 })
            {
                double fpRate = 0;
                foreach (var shift in new[] { 0.0, 0.02, 0.05, 0.10, 0.20 })
                {
                    int ours = 0, naive = 0, mw = 0, covered = 0;
                    for (var t = 0; t < trials; t++)
                    {
                        var b = Resample(pool, n, random, 0, "b");
                        var c = Resample(pool, n, random, shift, "c");
                        ours += Detectors.BenchGate(b, c, keys[k], history, out var e) ? 1 : 0;
                        var trueChange = -shift * 100;
                        covered += e!.CiLowPercent <= trueChange && trueChange <= e.CiHighPercent ? 1 : 0;
                        naive += Detectors.Naive(b, c, keys[k]) ? 1 : 0;
                        mw += Detectors.MannWhitneyPooled(b, c, keys[k]) ? 1 : 0;
                    }

                    var recall = (double)ours / trials;
                    if (shift == 0)
                    {
                        fpRate = recall;
                    }

                    var oracle = shift == 0 ? fpRate : OraclePower(-Math.Log(1 - shift), trueSd * Math.Sqrt(2.0 / n), Math.Max(fpRate, 0.5 / trials), -Math.Log(0.95));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {labels[k]} | {n} | {shift * 100:F0}% | {recall:P1} | {oracle:P1} | {(shift == 0 || oracle == 0 ? "" : (recall / oracle).ToString("F2", CultureInfo.InvariantCulture))} | {(double)covered / trials:P0} | {(double)naive / trials:P1} | {(double)mw / trials:P1} |"));
                }
            }
        }
    }

    /// <summary>
    /// Power of the best detector under the same rule (significant and estimated beyond the threshold), knowing
    /// the true spread: a one-sided z-test at false-positive rate <paramref name="alpha"/> whose estimate must also
    /// pass <paramref name="threshold"/> (log scale).
    /// </summary>
    private static double OraclePower(double delta, double se, double alpha, double threshold) =>
        Normal.Cdf((delta - Math.Max(NormalQuantile(1 - alpha) * se, threshold)) / se);

    private static double NormalQuantile(double p) => StudentT.Quantile(p, double.PositiveInfinity);

    private static List<RunRecords> Resample(List<RunRecords> pool, int n, Random random, double shift, string prefix) =>
        [.. Enumerable.Range(0, n).Select(i =>
        {
            var run = pool[random.Next(pool.Count)];
            return new RunRecords($"{prefix}{i}", run.Commit, [.. run.Records.Select(r => shift == 0 ? r : Slow(r, shift))]);
        })];

    private static BenchmarkRecord Slow(BenchmarkRecord r, double shift)
    {
        var values = r.Values.ToArray();
        values[LlamaBenchSchema.Ordinal("avg_ts")] = FieldValue.FromReal(r.AvgTs * (1 - shift));
        var ns = r.SamplesNs!.Select(x => (long)Math.Round(x / (1 - shift))).ToArray();
        values[LlamaBenchSchema.Ordinal("avg_ns")] = FieldValue.FromInteger((long)ns.Average());
        return new BenchmarkRecord(values, r.Extras, ns, [.. r.SamplesTs!.Select(x => x * (1 - shift))], r.ReportedStddevNs, r.SourceLine);
    }
}
