namespace BenchGate.Detection;

/// <summary>Why a comparison is Inconclusive: whether it deserves a warning, or the data simply cannot tell.</summary>
public enum InconclusiveReason
{
    /// <summary>Not inconclusive.</summary>
    None,

    /// <summary>The metric may have got worse past the threshold: suggestive evidence, not established (the spec's ⚠️ warning).</summary>
    PossibleRegression,

    /// <summary>The metric may have got better past the threshold, but that is not established.</summary>
    PossibleImprovement,

    /// <summary>No evidence of a change past the threshold: the estimate is within it, or the runs are too noisy to say anything; a change is not ruled out either.</summary>
    NoEvidence,
}

/// <summary>A verdict and, for Inconclusive, why.</summary>
public sealed record Decision(Verdict Verdict, InconclusiveReason Reason);

/// <summary>
/// The verdict rule, on the "badness" scale where positive means worse. A Regression (or Improvement) needs a
/// statistically established change and an estimate beyond the threshold; where the noise could not see the machine
/// drift (a cold start), the whole one-sided interval must be beyond it.
/// </summary>
public static class VerdictRule
{
    /// <summary>Evidence that is suggestive, not conclusive: a q-value up to this many times the gate's two-sided level (0.2 at α = 0.01).</summary>
    public const double SuggestiveFactor = 10;

    public static Decision Decide(Metric metric, double thresholdPercent, ChangeEstimate e, double q, double alpha)
    {
        var sign = metric.HigherIsBetter ? -1 : 1;
        var bad = sign * Math.Log(1 + (e.ChangePercent / 100));
        var a = sign * Math.Log(1 + (e.CiLowPercent / 100));
        var b = sign * Math.Log(1 + (e.CiHighPercent / 100));
        var (badLo, badHi) = (Math.Min(a, b), Math.Max(a, b));
        var t = thresholdPercent / 100;
        var worseLimit = metric.HigherIsBetter ? -Math.Log(1 - Math.Min(t, 0.999)) : Math.Log(1 + t);
        var betterLimit = metric.HigherIsBetter ? Math.Log(1 + t) : -Math.Log(1 - Math.Min(t, 0.999));
        // q is two-sided; a one-sided test at α in the estimate's direction is q ≤ 2α.
        var significant = q <= 2 * alpha;
        var trusted = e.NoiseSeesDrift;

        if (significant && bad > 0 && (trusted ? bad >= worseLimit : badLo >= worseLimit))
        {
            return new Decision(Verdict.Regression, InconclusiveReason.None);
        }

        if (significant && bad < 0 && (trusted ? -bad >= betterLimit : -badHi >= betterLimit))
        {
            return new Decision(Verdict.Improvement, InconclusiveReason.None);
        }

        if (badHi < worseLimit && badLo > -betterLimit)
        {
            return new Decision(Verdict.Stable, InconclusiveReason.None);
        }

        // A warning only where a regression past the threshold is plausible: the estimate is past it and there is at
        // least suggestive evidence of a change (q ≤ 10 × the gate's level), or a slowdown is established and its
        // interval reaches past it. An estimate past the threshold from runs too noisy to tell anything is not news:
        // with one run per commit and 7% noise, a third of A/A comparisons have one (bench/RESULTS.md).
        var suggestive = q <= SuggestiveFactor * 2 * alpha;
        var reason = (bad >= worseLimit && suggestive) || (significant && bad > 0 && badHi >= worseLimit) ? InconclusiveReason.PossibleRegression
            : (-bad >= betterLimit && suggestive) || (significant && bad < 0 && -badLo >= betterLimit) ? InconclusiveReason.PossibleImprovement
            : InconclusiveReason.NoEvidence;
        return new Decision(Verdict.Inconclusive, reason);
    }
}
