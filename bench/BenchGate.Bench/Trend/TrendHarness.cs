using System.Diagnostics;
using System.Globalization;
using BenchGate.Bench.Detection;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Statistics;
using BenchGate.Trend;

namespace BenchGate.Bench.Trend;

/// <summary>
/// Change points, measured (issue #13): the real histories, false change points per 1,000 A/A points, recall and
/// commit-localisation error for injected steps at real noise, for three methods side by side; then trend's speed.
/// </summary>
internal static class TrendHarness
{
    private static readonly IChangePointMethod[] Methods = [new BenchGateMethod(), new EdPeltMethod(), new RollingMeanMethod()];

    public static int Run(int trials, string? heldOut = null)
    {
        Real(heldOut);
        Synthetic(trials);
        Speed();
        return 0;
    }

    /// <summary>Per run avg_ts (log) of each benchmark of a history fixture.</summary>
    private static List<(string Label, double[] Logs)> Series(string fixture, int skip = 0, int take = int.MaxValue)
    {
        var runs = (File.Exists(fixture) ? FixtureRuns.LoadFile(fixture, "h") : FixtureRuns.Load(fixture, "h")).Skip(skip).Take(take).ToList();
        return [.. runs[0].Records.Select(r => r.Key).Select(k =>
            ($"{BenchmarkKey.ModelName(k["model_filename"]).Replace("tiny-llama-", "", StringComparison.Ordinal).Replace("-f32", "", StringComparison.Ordinal)} {BenchmarkTitle.Test(k)}",
             runs.Select(r => Math.Log(r.Records.Single(x => x.Key.Equals(k)).AvgTs)).ToArray()))];
    }

    private static void Real(string? heldOut)
    {
        Console.WriteLine("## Real histories: the change points each method reports (threshold 5%)");
        Console.WriteLine();
        Console.WriteLine("| history | benchmark | " + string.Join(" | ", Methods.Select(m => m.Name)) + " |");
        Console.WriteLine("| --- | --- |" + string.Concat(Methods.Select(_ => " --- |")));
        foreach (var (name, fixture) in new[] { ("master_history (step at run 13)", "history/master_history.jsonl"), ("aa_history (machine slowed at run 12)", "history/aa_history.jsonl"),
                     ("interleaved A/A, first (A/A)", "history/interleaved_aa_first.jsonl"), ("interleaved A/A, second (A/A)", "history/interleaved_aa_second.jsonl"), ("aa-cpu-small (A/A, drifting)", "llama-bench/aa-cpu-small/aa.jsonl") }
                     .Concat(heldOut is null ? [] : [($"held out: {Path.GetFileName(heldOut)} (A/A)", heldOut)]))
        {
            foreach (var (label, logs) in Series(fixture))
            {
                var cells = Methods.Select(m => m.Find(logs, 5)).Select(f => f.Count == 0 ? "none" : string.Join(", ", f.Select(i => $"run {i + 1}")));
                Console.WriteLine($"| {name} | {label} | {string.Join(" | ", cells)} |");
            }
        }

        Console.WriteLine();
    }

    /// <summary>
    /// Series of 60 commits resampled from real A/A runs (one run per commit; the noise of each benchmark as measured on
    /// this machine), with a step injected at commit 31. The noise pool is the A/A runs not used to choose any setting
    /// (interleaved_aa_second and aa_history after the machine change): held out.
    /// </summary>
    private static void Synthetic(int trials)
    {
        var pools = Series("history/interleaved_aa_second.jsonl").Zip(Series("history/aa_history.jsonl", skip: 15))
            .Select(x => (x.First.Label, Residuals: Residuals(x.First.Logs).Concat(Residuals(x.Second.Logs)).ToArray())).ToList();
        Console.WriteLine($"## Synthetic: 60-commit series resampled from held-out real A/A noise, a step injected at commit 31 ({trials} series per cell)");
        Console.WriteLine();
        Console.WriteLine("| benchmark | run-to-run SD | step | method | series with a change point (A/A: false) | false change points / 1,000 points | found within ±2 commits | median localisation error |");
        Console.WriteLine("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (var (label, residuals) in pools)
        {
            var sd = Math.Sqrt(Robust.Variance(residuals));
            foreach (var step in new[] { 0.0, -0.05, -0.10, -0.20 })
            {
                foreach (var method in Methods)
                {
                    var rng = new Random(1234);
                    int withAny = 0, found = 0, falsePoints = 0;
                    var errors = new List<int>();
                    for (var t = 0; t < trials; t++)
                    {
                        var logs = Enumerable.Range(0, 60).Select(i => residuals[rng.Next(residuals.Length)] + (i >= 30 ? Math.Log(1 + step) : 0)).ToArray();
                        var cps = method.Find(logs, 5);
                        withAny += cps.Count > 0 ? 1 : 0;
                        var hit = cps.Where(c => Math.Abs(c - 30) <= 2).ToList();
                        falsePoints += step == 0 ? cps.Count : cps.Count - Math.Min(1, hit.Count);
                        if (step != 0 && hit.Count > 0)
                        {
                            found++;
                            errors.Add(hit.Min(c => Math.Abs(c - 30)));
                        }
                    }

                    var median = errors.Count == 0 ? "" : errors.Order().ElementAt(errors.Count / 2).ToString(CultureInfo.InvariantCulture);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {label} | {sd * 100:F1}% | {step * 100:F0}% | {method.Name} | {100.0 * withAny / trials:F1}% | {1000.0 * falsePoints / (trials * 60):F2} | {(step == 0 ? "" : $"{100.0 * found / trials:F1}%")} | {median} |"));
                }
            }
        }

        Console.WriteLine();
    }

    private static IEnumerable<double> Residuals(double[] logs)
    {
        var mean = logs.Average();
        return logs.Select(x => x - mean);
    }

    /// <summary>trend's analysis (no I/O) at the sizes issue #13 names: one series of 10,000 points, 10,000 series of 100.</summary>
    private static void Speed()
    {
        Console.WriteLine("## Speed of the analysis (in process, no database)");
        Console.WriteLine();
        Console.WriteLine("| case | full analysis, median of 5 | one new point, from the stored state, median of 5 |");
        Console.WriteLine("| --- | ---: | ---: |");
        var rng = new Random(9);
        var key = FixtureRuns.Load("llama-bench/formats/small_p64_n16_r3.jsonl", "k")[0].Records[0].Key;
        TrendSeries Make(int n, int seed) => new($"s{seed}", key, "t", Metric.TokensPerSecond, "m", null,
            [.. Enumerable.Range(0, n).Select(i => 1000 * (i % 400 >= 200 ? 0.9 : 1) * Math.Exp(0.03 * (rng.NextDouble() - 0.5)) is var v ? new TrendPoint($"c{i}", v, v, v, 1) : null!)]);
        foreach (var (name, count, length) in new[] { ("1 series × 10,000 points", 1, 10_000), ("10,000 series × 100 points", 10_000, 100) })
        {
            var series = Enumerable.Range(0, count).Select(i => Make(length, i)).ToList();
            var analyzer = new TrendAnalyzer(Thresholds.Uniform(5));
            var shorter = series.Select(s => s with { Points = [.. s.Points.Take(length - 1)] }).ToList();
            var states = shorter.Select(s => TrendAnalyzer.State(analyzer.Analyse(s))).ToList();
            var full = Time(() => Parallel.ForEach(series, s => analyzer.Analyse(s)));
            var incremental = Time(() => Parallel.For(0, series.Count, i => analyzer.Analyse(series[i], states[i])));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {full:F3} s | {incremental:F3} s |"));
        }

        Console.WriteLine();
    }

    private static double Time(Action work)
    {
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            work();
            times.Add(sw.Elapsed.TotalSeconds);
        }

        return times.Order().ElementAt(2);
    }
}
