using BenchGate.Statistics;

namespace BenchGate.Bisect;

/// <summary>
/// Decides whether a probed commit is good or bad from its rounds: each round gives y = log(probe) − (log(good) +
/// log(bad)) / 2, the probe's distance from the midpoint between the ends measured in that round, in which the drift
/// of the machine cancels. The probe is bad when the mean of y lies on the bad end's side of zero, good when on the
/// good end's side, and the decision is confident when a one-sided t test puts it there at the asked confidence. A
/// noisy commit needs more rounds before it is confident, instead of a coin toss deciding it (git bisect's one run).
/// </summary>
public static class ProbeJudge
{
    /// <summary>Below this standard error (log scale, 0.01%) rounds are as good as exact: a deterministic stand-in, say.</summary>
    public const double ErrorFloor = 1e-4;

    public static ProbeVerdict Judge(IReadOnlyList<ProbeRound> rounds, double confidence)
    {
        var usable = rounds.Where(r => r.IsUsable).ToArray();
        var n = usable.Length;
        if (n == 0)
        {
            return ProbeVerdict.Skipped("no usable measurement (every value was zero or missing)");
        }

        var fromGood = usable.Select(r => Math.Log(r.Probe / r.Good)).ToArray();
        var ends = usable.Select(r => Math.Log(r.Bad / r.Good)).ToArray();
        var fromMid = usable.Select((r, i) => fromGood[i] - (ends[i] / 2)).ToArray();
        var endsChange = ends.Average();
        var df = Math.Max(n - 1, 1);
        var midSe = Se(fromMid);
        var t = fromMid.Average() / midSe;
        // The ends' direction says which side of the midpoint is bad; without a direction nothing can be decided.
        var towardsBad = Math.Sign(endsChange) * Math.Sign(t);
        var p = n < 2 || endsChange == 0 ? 1 : 1 - StudentT.Cdf(Math.Abs(t), df);
        return new ProbeVerdict(
            towardsBad > 0 ? ProbeState.Bad : ProbeState.Good,
            Confident: p <= 1 - confidence,
            p,
            n,
            endsChange == 0 ? double.NaN : fromGood.Average() / endsChange,
            fromGood.Average(),
            Se(fromGood),
            n - 1,
            endsChange);
    }

    /// <summary>
    /// The change between the ends from their rounds (probe = bad end): its mean log(bad / good), and whether a
    /// two-sided t test finds it away from zero at the asked confidence.
    /// </summary>
    public static ProbeVerdict JudgeEnds(IReadOnlyList<ProbeRound> rounds, double confidence)
    {
        var usable = rounds.Where(r => r.IsUsable).ToArray();
        if (usable.Length == 0)
        {
            return ProbeVerdict.Skipped("no usable measurement of the ends");
        }

        var change = usable.Select(r => Math.Log(r.Bad / r.Good)).ToArray();
        var se = Se(change);
        var mean = change.Average();
        // Either direction is a change (the data pick which): two-sided.
        var p = usable.Length < 2 ? 1 : StudentT.TwoSidedP(mean / se, usable.Length - 1);
        return new ProbeVerdict(ProbeState.Bad, p <= 1 - confidence, p, usable.Length, 1, mean, se, usable.Length - 1, mean);
    }

    private static double Se(double[] xs) =>
        xs.Length < 2 ? double.PositiveInfinity : Math.Max(Math.Sqrt(Robust.Variance(xs) / xs.Length), ErrorFloor);
}
