using System.Globalization;
using BenchGate.Model;

namespace BenchGate.Bisect;

/// <summary>
/// Bisection with statistics: the ends are measured until their difference is established, then each probe (the
/// untested commit nearest the middle of the remaining range) is run in rounds beside both ends until
/// <see cref="ProbeJudge"/> is confident or the budget is spent. A commit that does not build is skipped, as git
/// bisect skips it, and the next nearest is probed; when only skipped commits separate good from bad, all of them are
/// reported as candidates.
/// </summary>
public sealed class StatisticalBisect(IBisectLab lab, BisectSettings settings, IBisectCache? cache = null, IProgress<string>? progress = null)
{
    private readonly IBisectCache _cache = cache ?? NoBisectCache.Instance;
    private (BisectCommit Good, BisectCommit Bad, bool Built)? _ends;
    private int _builds;
    private int _runs;

    public BisectResult Run(IReadOnlyList<BisectCommit> range)
    {
        if (range.Count < 2)
        {
            throw new InputException("the range holds no commit after the good one: --bad must descend from --good");
        }

        var (benchmark, ends, endsCached) = Ends(range[0], range[^1]);

        if (!ends.Confident)
        {
            return Result(BisectOutcome.NoChange, benchmark, range, ends, endsCached, [], [], null);
        }

        var states = new ProbeState[range.Count];
        states[0] = ProbeState.Good;
        states[^1] = ProbeState.Bad;
        var probes = new List<BisectProbe>();
        while (true)
        {
            var lo = Array.LastIndexOf(states, ProbeState.Good);
            var hi = Array.IndexOf(states, ProbeState.Bad, lo + 1);
            var mid = (lo + hi) / 2.0;
            var next = Enumerable.Range(lo + 1, hi - lo - 1).Where(i => states[i] == ProbeState.Untested)
                .OrderBy(i => Math.Abs(i - mid)).ThenBy(i => i).Select(i => (int?)i).FirstOrDefault();
            if (next is not { } index)
            {
                var candidates = Enumerable.Range(lo + 1, hi - lo).ToList();
                return candidates.Count == 1
                    ? Result(BisectOutcome.Found, benchmark, range, ends, endsCached, probes, candidates, Change(VerdictAt(lo), VerdictAt(hi)))
                    : Result(BisectOutcome.Ambiguous, benchmark, range, ends, endsCached, probes, candidates, null);
            }

            var commit = range[index];
            var cached = _cache.Probe(commit.Sha);
            var verdict = cached ?? Measure(commit, benchmark);
            if (cached is null)
            {
                _cache.SaveProbe(commit.Sha, verdict);
            }

            states[index] = verdict.State;
            probes.Add(new BisectProbe(index, commit, verdict, cached is not null, probes.Count + 1));
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"step {probes.Count}: {commit.Short} {Describe(verdict)}{(cached is null ? "" : " (cached)")}; {Remaining(states)} left to decide"));
        }

        ProbeVerdict VerdictAt(int i) =>
            i == 0 ? ProbeVerdict.GoodEnd : i == range.Count - 1 ? ends : probes.Last(p => p.Index == i).Verdict;
    }

    /// <summary>
    /// One commit's verdict, for <c>git bisect run</c>: the ends are measured (or read from the cache) first, and the
    /// commit is probed only when they differ. The commit need not be on the first-parent line.
    /// </summary>
    public BisectStep Step(BisectCommit good, BisectCommit bad, BisectCommit probe)
    {
        var (benchmark, ends, endsCached) = Ends(good, bad);
        if (!ends.Confident)
        {
            return new BisectStep(benchmark, ends, endsCached, null, false, _builds, _runs);
        }

        var cached = probe.Sha == good.Sha ? ProbeVerdict.GoodEnd : probe.Sha == bad.Sha ? ends : _cache.Probe(probe.Sha);
        var verdict = cached ?? Measure(probe, benchmark);
        if (cached is null)
        {
            _cache.SaveProbe(probe.Sha, verdict);
        }

        return new BisectStep(benchmark, ends, endsCached, verdict, cached is not null, _builds, _runs);
    }

    private (string Benchmark, ProbeVerdict Change, bool Cached) Ends(BisectCommit good, BisectCommit bad)
    {
        _ends = (good, bad, false);
        if (_cache.Ends() is var (title, change))
        {
            return (title, change, true);
        }

        var (benchmark, ends) = MeasureEnds();
        _cache.SaveEnds(benchmark, ends);
        return (benchmark, ends, false);
    }

    private (string Benchmark, ProbeVerdict Change) MeasureEnds()
    {
        BuildEnds();
        var rounds = new Dictionary<string, List<ProbeRound>>(StringComparer.Ordinal);
        for (var r = 1; r <= settings.MaxRounds; r++)
        {
            var measured = lab.Round(null, r);
            _runs += 2;
            foreach (var (title, round) in measured.Where(m => Wildcard.Matches(settings.Benchmark, m.Key)))
            {
                (rounds.TryGetValue(title, out var list) ? list : rounds[title] = []).Add(round);
            }

            if (rounds.Count == 0)
            {
                throw new InputException(settings.Benchmark is null ? "the benchmark printed no result"
                    : $"--benchmark '{settings.Benchmark}' matches none of: {string.Join("; ", measured.Keys.Order(StringComparer.Ordinal))}");
            }

            if (r < settings.MinRounds)
            {
                continue;
            }

            // Every look at every benchmark is one more chance of a false difference: the p-values pay for all of them.
            var judged = rounds.Select(kv => (Title: kv.Key, Verdict: Adjusted(ProbeJudge.JudgeEnds(kv.Value, settings.Confidence), Looks * rounds.Count))).ToList();
            // A regression is what is bisected when there is one; the largest clear change among them.
            var best = judged.Where(j => j.Verdict.Confident)
                .OrderByDescending(j => IsRegression(j.Verdict)).ThenByDescending(j => Math.Abs(j.Verdict.EndsChange)).ThenBy(j => j.Title, StringComparer.Ordinal).FirstOrDefault();
            if (best.Title is not null)
            {
                progress?.Report($"ends: {best.Title} {Percent(best.Verdict.EndsChange)} after {best.Verdict.Rounds} rounds");
                return best;
            }

            if (r == settings.MaxRounds)
            {
                return judged.OrderBy(j => j.Verdict.PValue).ThenBy(j => j.Title, StringComparer.Ordinal).First();
            }
        }

        throw new InvalidOperationException("unreachable: the last round returns");
    }

    /// <summary>The ends' builds, once, before anything is run (with cached ends, before the first probe that is not cached).</summary>
    private void BuildEnds()
    {
        if (_ends is not { Built: false } ends)
        {
            return;
        }

        var (good, bad, _) = ends;

        foreach (var (end, name) in new[] { (good, "good"), (bad, "bad") })
        {
            if (Build(end.Sha) is { } failure)
            {
                throw new InputException($"the {name} end {end.Short} does not build: {failure}");
            }
        }

        _ends = (good, bad, true);
    }

    private ProbeVerdict Measure(BisectCommit commit, string benchmark)
    {
        BuildEnds();
        if (Build(commit.Sha) is { } failure)
        {
            return ProbeVerdict.Skipped(failure);
        }

        var rounds = new List<ProbeRound>();
        ProbeVerdict? verdict = null;
        for (var r = 1; r <= settings.MaxRounds; r++)
        {
            IReadOnlyDictionary<string, ProbeRound> measured;
            try
            {
                measured = lab.Round(commit.Sha, r);
            }
            catch (ExternalToolException e)
            {
                // A commit whose benchmark crashes is skipped like one that does not build: the ends ran before it.
                return ProbeVerdict.Skipped(e.Message);
            }

            _runs += 3;
            if (!measured.TryGetValue(benchmark, out var round))
            {
                return ProbeVerdict.Skipped($"its benchmark printed no result for {benchmark}");
            }

            rounds.Add(round);
            if (r >= settings.MinRounds && (verdict = Adjusted(ProbeJudge.Judge(rounds, settings.Confidence), Looks)).Confident)
            {
                break;
            }
        }

        return verdict ?? Adjusted(ProbeJudge.Judge(rounds, settings.Confidence), Looks);
    }

    /// <summary>Decisions looked at after every round from MinRounds to MaxRounds.</summary>
    private int Looks => Math.Max(1, settings.MaxRounds - settings.MinRounds + 1);

    /// <summary>
    /// Looking again after every round and stopping at the first confident look would make a false decision likelier
    /// than the asked confidence says; Bonferroni's correction over the looks keeps each decision within it.
    /// </summary>
    private ProbeVerdict Adjusted(ProbeVerdict v, int looks)
    {
        var p = Math.Min(1, v.PValue * looks);
        return v with { PValue = p, Confident = v.State == ProbeState.Skipped || p <= 1 - settings.Confidence };
    }

    private string? Build(string sha)
    {
        _builds++;
        return lab.Build(sha);
    }

    private bool IsRegression(ProbeVerdict v) => settings.HigherIsBetter ? v.EndsChange < 0 : v.EndsChange > 0;

    /// <summary>The culprit's change from its parent: the difference of their mean changes from the good end.</summary>
    private static (double, double, double) Change(ProbeVerdict parent, ProbeVerdict culprit) =>
        (culprit.FromGood - parent.FromGood, Math.Sqrt((culprit.FromGoodSe * culprit.FromGoodSe) + (parent.FromGoodSe * parent.FromGoodSe)),
            Math.Min(culprit.DegreesOfFreedom, parent.DegreesOfFreedom));

    private BisectResult Result(BisectOutcome outcome, string benchmark, IReadOnlyList<BisectCommit> range, ProbeVerdict ends, bool endsCached,
        List<BisectProbe> probes, List<int> candidates, (double, double, double)? change)
    {
        var decisions = probes.Select(p => p.Verdict).Where(v => v.State != ProbeState.Skipped).Append(ends);
        // Bonferroni: the chance that any decision was wrong is at most the sum of their p-values.
        var confidence = Math.Max(0, 1 - decisions.Sum(v => v.PValue));
        var allConfident = decisions.All(v => v.Confident);
        return new BisectResult(outcome, benchmark, settings.HigherIsBetter, range, ends, endsCached, probes, candidates, change, confidence, allConfident, _builds, _runs);
    }

    private static int Remaining(ProbeState[] states)
    {
        var lo = Array.LastIndexOf(states, ProbeState.Good);
        var hi = Array.IndexOf(states, ProbeState.Bad, lo + 1);
        return Enumerable.Range(lo + 1, hi - lo - 1).Count(i => states[i] == ProbeState.Untested);
    }

    private static string Describe(ProbeVerdict v) => v.State == ProbeState.Skipped
        ? $"skipped: {v.Detail}"
        : string.Create(CultureInfo.InvariantCulture, $"{v.State.ToString().ToLowerInvariant()} after {v.Rounds} rounds (at {v.Position:0.00} of the way from good to bad{(v.Confident ? "" : ", not confident")})");

    /// <summary>A change on the log scale as a signed percentage: +12.3%.</summary>
    public static string Percent(double log) => string.Create(CultureInfo.InvariantCulture, $"{(Math.Exp(log) - 1) * 100:+0.0;-0.0}%");
}
