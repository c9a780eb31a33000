using System.Globalization;
using BenchGate.Bench.Detection;
using BenchGate.Bisect;
using BenchGate.Detection;

namespace BenchGate.Bench.Bisect;

/// <summary>
/// bisect against git bisect at the noise of real A/A recordings: a range of commits whose speed drops by a step at a
/// random culprit, each run's value the level times a real run's deviation from its series' median, in blocks of
/// consecutive recorded runs (drift included). git bisect is given a yes/no per probed commit from one run (and,
/// as a fairer rival, the mean of three), against the midpoint of the ends measured once (three times) at the start.
/// </summary>
internal static class BisectHarness
{
    public static int Run(int trials, string? heldOut)
    {
        var series = NoiseSeries(heldOut);
        Console.WriteLine($"noise: {series.Count} real A/A series, {series.Sum(s => s.Length)} runs; run-to-run sd (log) median {Median([.. series.Select(Sd)]):P1}");
        Console.WriteLine();
        Console.WriteLine("| range | step | method | wrong culprit | of which every decision confident | not found | builds (median) | runs (median, p90) |");
        Console.WriteLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        // The last rows: the same recordings' deviations scaled to a quarter, a quieter machine (pinned threads, no neighbours).
        foreach (var (commits, step, scale) in new[] { (32, 0.03, 1.0), (32, 0.05, 1.0), (32, 0.10, 1.0), (128, 0.10, 1.0), (32, 0.05, 0.25), (128, 0.05, 0.25) })
        {
            var scaled = series.Select(s => s.Select(x => x * scale).ToArray()).ToList();
            foreach (var method in new[] { "git bisect, 1 run per step", "git bisect, mean of 3 runs per step", "benchgate bisect", "benchgate bisect --max-runs 40" })
            {
                var outcomes = Enumerable.Range(1, trials).Select(seed => Trial(method, scaled, commits, step, seed)).ToList();
                var wrong = outcomes.Count(o => o.Found && !o.Right);
                var noise = scale == 1 ? "" : $" (noise × {scale})";
                var missing = outcomes.Count(o => !o.Found);
                var wrongConfident = outcomes.Count(o => o.Found && !o.Right && o.Confident);
                var runs = outcomes.Select(o => (double)o.Runs).Order().ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {commits} | {step:P0}{noise} | {method} | {wrong * 100.0 / trials:0.0}% | {(method.StartsWith("git", StringComparison.Ordinal) ? "–" : $"{wrongConfident * 100.0 / trials:0.0}%")} | {missing * 100.0 / trials:0.0}% | {Median([.. outcomes.Select(o => (double)o.Builds)]):0} | {Median(runs):0}, {runs[(int)(0.9 * (runs.Length - 1))]:0} |"));
            }
        }

        return 0;
    }

    private sealed record Outcome(bool Found, bool Right, int Builds, int Runs, bool Confident = false);

    private static Outcome Trial(string method, List<double[]> series, int commits, double step, int seed)
    {
        var random = new Random(seed);
        var culprit = random.Next(1, commits + 1);
        var lab = new NoisyRange(commits, culprit, step, series, random);
        if (method.StartsWith("benchgate bisect", StringComparison.Ordinal))
        {
            var settings = method.EndsWith("40", StringComparison.Ordinal) ? new BisectSettings(MaxRounds: 40) : new BisectSettings();
            var result = new StatisticalBisect(lab, settings).Run(lab.Commits);
            return new Outcome(result.Outcome == BisectOutcome.Found, result.FirstBad?.Sha == lab.Commits[culprit].Sha, result.Builds, result.Runs, result.AllConfident);
        }

        // git bisect with a script: `bench; test $value -gt $midpoint` (exit 0 good, 1 bad).
        var perStep = method.Contains("3 runs", StringComparison.Ordinal) ? 3 : 1;
        var good = Enumerable.Range(0, perStep).Average(_ => Math.Log(lab.Measure(0)));
        var bad = Enumerable.Range(0, perStep).Average(_ => Math.Log(lab.Measure(commits)));
        var mid = (good + bad) / 2;
        int lo = 0, hi = commits, builds = 2;
        while (hi - lo > 1)
        {
            var probe = (lo + hi) / 2;
            builds++;
            var value = Enumerable.Range(0, perStep).Average(_ => Math.Log(lab.Measure(probe)));
            // Slower than the midpoint is bad (the ends' order says which side is slower).
            if ((value < mid) == (bad < good))
            {
                hi = probe;
            }
            else
            {
                lo = probe;
            }
        }

        return new Outcome(true, hi == culprit, builds, lab.RunsMade);
    }

    /// <summary>Each real A/A series as log deviations from its median, in recording order.</summary>
    private static List<double[]> NoiseSeries(string? heldOut)
    {
        var sources = new List<List<RunRecords>>
        {
            FixtureRuns.Load("history/aa_history.jsonl", "h").Skip(15).ToList(),
            FixtureRuns.Load("history/interleaved_aa_first.jsonl", "f"),
            FixtureRuns.Load("history/interleaved_aa_second.jsonl", "s"),
            FixtureRuns.Load("llama-bench/aa-cpu-small/aa.jsonl", "a"),
        };
        if (heldOut is not null)
        {
            sources.Add(FixtureRuns.LoadFile(heldOut, "x"));
        }

        var result = new List<double[]>();
        foreach (var runs in sources)
        {
            foreach (var key in runs.SelectMany(r => r.Records).Select(r => r.Key).Distinct())
            {
                var values = runs.SelectMany(r => r.Records.Where(x => x.Key.Equals(key)).Select(x => Metric.TokensPerSecond.ValueOf(x, r.RunId, false)?.Value ?? 0))
                    .Where(v => v > 0).Select(v => Math.Log(v)).ToArray();
                if (values.Length >= 10)
                {
                    var median = Median(values);
                    result.Add([.. values.Select(v => v - median)]);
                }
            }
        }

        return result;
    }

    private static double Sd(double[] xs) => Math.Sqrt(xs.Sum(x => (x - xs.Average()) * (x - xs.Average())) / (xs.Length - 1));

    private static double Median(double[] xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>
    /// The simulated range: level 1000 t/s, (1 − step) from the culprit on. Runs take real deviations in blocks of
    /// six consecutive recorded runs (their drift with them), each block from a random series and place: a bisection
    /// of hundreds of runs does not cycle through one 20-run series.
    /// </summary>
    private sealed class NoisyRange(int commits, int culprit, double step, List<double[]> series, Random random) : IBisectLab
    {
        private const int Block = 6;
        private double[] _noise = [];
        private int _next;
        private int _left;

        public List<BisectCommit> Commits { get; } = [.. Enumerable.Range(0, commits + 1).Select(i => new BisectCommit(i.ToString("x40", CultureInfo.InvariantCulture), $"commit {i}"))];

        public int RunsMade { get; private set; }

        public string? Build(string commit) => null;

        public IReadOnlyDictionary<string, ProbeRound> Round(string? probe, int round)
        {
            var g = Measure(0);
            var p = probe is null ? double.NaN : Measure(Commits.FindIndex(c => c.Sha == probe));
            var b = Measure(commits);
            return new Dictionary<string, ProbeRound> { ["pp"] = probe is null ? ProbeRound.Ends(g, b) : new ProbeRound(g, p, b) };
        }

        public double Measure(int index)
        {
            RunsMade++;
            if (_left == 0)
            {
                _noise = series[random.Next(series.Count)];
                _next = random.Next(_noise.Length - Block + 1);
                _left = Block;
            }

            _left--;
            var deviation = _noise[_next++];
            return 1000 * (index >= culprit ? 1 - step : 1) * Math.Exp(deviation);
        }
    }
}
