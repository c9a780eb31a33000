using System.Globalization;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Statistics;

namespace BenchGate.Bench.Detection;

/// <summary>
/// The gate as ci push and ci pr run it (issue #13): warnings on consecutive commits of real A/A histories, how blind
/// the gate is right after a real step, and interleaved pairs against the same runs unpaired. "Before" is the previous
/// release's rule, re-implemented here: a run's value the median of its samples, the history's noise the plain standard
/// deviation of its last 30 values, and every Inconclusive shown as ⚠️.
/// </summary>
internal static class GateHarness
{
    public static int Run(string? heldOut = null)
    {
        Warnings(heldOut);
        AfterStep();
        Pairs();
        return 0;
    }

    private static void Warnings(string? heldOut)
    {
        Console.WriteLine("## ⚠️ on consecutive-commit comparisons of real A/A histories (one run per commit, history recorded as ci push does)");
        Console.WriteLine();
        Console.WriteLine("| history | comparisons | before: ⚠️ (any inconclusive) | before: regressions | after: ⚠️ (possible regression) | after: too noisy to tell (no ⚠️) | after: regressions |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var first = FixtureRuns.Load("history/interleaved_aa_first.jsonl", "a");
        var second = FixtureRuns.Load("history/interleaved_aa_second.jsonl", "b");
        var interleaved = first.Zip(second).SelectMany(p => new[] { p.First, p.Second }).ToList();
        var histories = new List<(string, List<RunRecords>)> { ("aa_history, runs 16–40 (after the machine change)", FixtureRuns.Load("history/aa_history.jsonl", "h").Skip(15).ToList()), ("interleaved A/A, 20 runs in time order", interleaved) };
        if (heldOut is not null)
        {
            histories.Add(($"held out: {Path.GetFileName(heldOut)} (40 runs, recorded after the rules were set)", FixtureRuns.LoadFile(heldOut, "x")));
        }

        foreach (var (name, runs) in histories)
        {
            int n = 0, beforeWarn = 0, beforeReg = 0, afterWarn = 0, afterNoisy = 0, afterReg = 0;
            for (var i = 1; i < runs.Count; i++)
            {
                foreach (var key in runs[i].Records.Select(r => r.Key))
                {
                    n++;
                    var history = runs.Take(i - 1).Reverse().Select(r => r.Records.Single(x => x.Key.Equals(key))).ToList();
                    var c = New(runs[i - 1], runs[i], key, history);
                    afterWarn += c.IsWarning ? 1 : 0;
                    afterNoisy += c.Verdict == Verdict.Inconclusive && !c.IsWarning ? 1 : 0;
                    afterReg += c.Verdict == Verdict.Regression ? 1 : 0;
                    if (c.Verdict == Verdict.Regression)
                    {
                        var e = c.Estimate;
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"A/A regression: {name}, run {i} → {i + 1}, {c.Title}: {e.ChangePercent:F1}% [{e.CiLowPercent:F1}, {e.CiHighPercent:F1}], noise {e.Noise.Source} {e.Noise.LogSd * 100:F1}% df {e.Noise.DegreesOfFreedom:F1}, history {e.HistoryPoints} commits, q {c.QValue:G3}"));
                    }
                    var old = Legacy(runs[i - 1].Records.Single(x => x.Key.Equals(key)), runs[i].Records.Single(x => x.Key.Equals(key)), history);
                    beforeWarn += old == Verdict.Inconclusive ? 1 : 0;
                    beforeReg += old == Verdict.Regression ? 1 : 0;
                }
            }

            Console.WriteLine($"| {name} | {n} | {beforeWarn} | {beforeReg} | {afterWarn} | {afterNoisy} | {afterReg} |");
        }

        Console.WriteLine();
    }

    private static void AfterStep()
    {
        Console.WriteLine("## Blind after a real step? master_history, each commit after the step (run 13) compared with the one before");
        Console.WriteLine();
        Console.WriteLine("| benchmark | commit | before: history noise | before: smallest detectable change | after: history noise | after: smallest detectable change |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var runs = FixtureRuns.Load("history/master_history.jsonl", "m");
        foreach (var key in runs[0].Records.Select(r => r.Key).Where(k => k["n_prompt"] == "64"))
        {
            foreach (var i in new[] { 11, 13, 14, 16, 20 })
            {
                var history = runs.Take(i - 1).Reverse().Select(r => r.Records.Single(x => x.Key.Equals(key))).ToList();
                var e = New(runs[i - 1], runs[i], key, history).Estimate;
                var (oldSd, oldMdc) = LegacyMdc(history);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {BenchmarkKey.ModelName(key["model_filename"])} pp64 | run {i + 1} | ±{oldSd * 100:F1}% | {oldMdc:F0}% | ±{e.Noise.LogSd * 100:F1}% | {e.MinimumDetectablePercent:F0}% |"));
            }
        }

        Console.WriteLine();
    }

    private static void Pairs()
    {
        Console.WriteLine("## Interleaved pairs against the same runs unpaired (real interleaved_ab: native then avx2, alternately; pp64)");
        Console.WriteLine();
        Console.WriteLine("| model | pairs | paired: verdict | paired: change [98% CI] | paired: detectable | unpaired: verdict | unpaired: change [98% CI] | unpaired: detectable | A/A pairs: regressions (paired / unpaired) |");
        Console.WriteLine("| --- | ---: | --- | --- | ---: | --- | --- | ---: | --- |");
        var native = FixtureRuns.Load("history/interleaved_ab_native.jsonl", "n");
        var avx2 = FixtureRuns.Load("history/interleaved_ab_avx2.jsonl", "a");
        var aa1 = FixtureRuns.Load("history/interleaved_aa_first.jsonl", "f");
        var aa2 = FixtureRuns.Load("history/interleaved_aa_second.jsonl", "s");
        var settings = new DetectionSettings(Thresholds.Uniform(5), Metrics: [Metric.TokensPerSecond]);
        foreach (var model in new[] { "tiny-llama-small-f32.gguf", "tiny-llama-large-f32.gguf" })
        {
            foreach (var n in new[] { 3, 4, 5, 7, 10 })
            {
                BenchmarkComparison Pp64(List<RunRecords> b, List<RunRecords> c, bool paired)
                {
                    var (sb, sc) = (new ComparisonSide("b", b.Take(n).ToList()), new ComparisonSide("c", c.Take(n).ToList()));
                    if (paired)
                    {
                        (sb, sc) = ComparisonSide.PairByOrder(sb, sc);
                    }

                    return new Detector(settings).Compare(sb, sc, DateTimeOffset.UnixEpoch).Comparisons.Single(x => x.Key["model_filename"] == model && x.Key["n_prompt"] == "64");
                }

                var p = Pp64(native, avx2, true);
                var u = Pp64(native, avx2, false);
                var aaP = Pp64(aa1, aa2, true).Verdict == Verdict.Regression ? 1 : 0;
                var aaU = Pp64(aa1, aa2, false).Verdict == Verdict.Regression ? 1 : 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {BenchmarkKey.ModelName(model)} | {n} | {p.Verdict} | {Ci(p.Estimate)} | {p.Estimate.MinimumDetectablePercent:F1}% | {u.Verdict} | {Ci(u.Estimate)} | {u.Estimate.MinimumDetectablePercent:F1}% | {aaP} / {aaU} |"));
            }
        }

        Console.WriteLine();
    }

    private static string Ci(ChangeEstimate e) => string.Create(CultureInfo.InvariantCulture, $"{e.ChangePercent:+0.0;-0.0}% [{e.CiLowPercent:+0.0;-0.0}, {e.CiHighPercent:+0.0;-0.0}]");

    private static BenchmarkComparison New(RunRecords baseline, RunRecords current, BenchmarkKey key, List<BenchmarkRecord> history)
    {
        var h = new ListHistory([.. history.Select((r, i) => new HistoryValue($"h{i}", Math.Log(r.AvgTs)))]);
        var report = new Detector(new DetectionSettings(Thresholds.Uniform(5), Metrics: [Metric.TokensPerSecond]), h)
            .Compare(new ComparisonSide("b", [baseline]), new ComparisonSide("c", [current]), DateTimeOffset.UnixEpoch);
        return report.Comparisons.Single(c => c.Key.Equals(key));
    }

    /// <summary>The previous release's rule for one run per side: median of samples, plain history SD (last 30), any inconclusive a ⚠️.</summary>
    private static Verdict Legacy(BenchmarkRecord baseline, BenchmarkRecord current, List<BenchmarkRecord> history)
    {
        var (yb, yc) = (Math.Log(Robust.Median(baseline.SamplesTs!)), Math.Log(Robust.Median(current.SamplesTs!)));
        var logs = history.Take(30).Select(r => Math.Log(Robust.Median(r.SamplesTs!))).ToArray();
        double sd, df;
        if (logs.Length >= 3)
        {
            (sd, df) = (Math.Sqrt(Robust.Variance(logs)), logs.Length - 1);
        }
        else
        {
            var within = Math.Sqrt((Math.Pow(LegacyShamos(baseline), 2) + Math.Pow(LegacyShamos(current), 2)) / 2);
            (sd, df) = (Math.Max(within, 0.025), Math.Max(2, baseline.SamplesTs!.Length - 1));
        }

        var d = yc - yb;
        var se = sd * Math.Sqrt(2);
        var q = StudentT.Quantile(0.99, df);
        var e = new ChangeEstimate(1, Math.Exp(d), Pct(d), Pct(d - (q * se)), Pct(d + (q * se)), StudentT.TwoSidedP(d / se, df), 0,
            new NoiseEstimate(sd, df, logs.Length >= 3 ? NoiseSource.History : NoiseSource.WithinRun), 1, 1, true, logs.Length, logs.Length);
        return VerdictRule.Decide(Metric.TokensPerSecond, 5, e, e.PValue, 0.01).Verdict;
    }

    private static (double Sd, double Mdc) LegacyMdc(List<BenchmarkRecord> history)
    {
        var logs = history.Take(30).Select(r => Math.Log(Robust.Median(r.SamplesTs!))).ToArray();
        var sd = Math.Sqrt(Robust.Variance(logs));
        var df = logs.Length - 1;
        var se = sd * Math.Sqrt(2);
        return (sd, Pct((StudentT.Quantile(0.99, df) + StudentT.Quantile(0.8, df)) * se));
    }

    private static double LegacyShamos(BenchmarkRecord r)
    {
        var logs = r.SamplesTs!.Select(x => Math.Log(x)).ToArray();
        var diffs = new List<double>();
        for (var i = 0; i < logs.Length; i++)
        {
            for (var j = i + 1; j < logs.Length; j++)
            {
                diffs.Add(Math.Abs(logs[i] - logs[j]));
            }
        }

        return 1.048358 * Robust.Median([.. diffs]);
    }

    private static double Pct(double log) => (Math.Exp(log) - 1) * 100;

    private sealed class ListHistory(IReadOnlyList<HistoryValue> values) : INoiseHistory
    {
        public IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) => values;
    }
}
