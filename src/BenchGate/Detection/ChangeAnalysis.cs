using BenchGate.Statistics;

namespace BenchGate.Detection;

/// <summary>
/// Compares the runs of one benchmark and metric on the log scale, where a change is a ratio.
/// The unit of replication is the run: each run contributes one value; their spread (or the history's,
/// whichever is larger, or the repetitions' when there is one run per side) is the noise.
/// </summary>
public static class ChangeAnalysis
{
    /// <summary>Run-to-run spread assumed when nothing measured it (no samples, no stddev, no history).</summary>
    public const double PriorLogSd = 0.05;

    public static ChangeEstimate Analyse(IReadOnlyList<RunValue> baseline, IReadOnlyList<RunValue> current, IReadOnlyList<double> historyLogValues, double alpha, bool fromSamples)
    {
        var yb = baseline.Select(r => Math.Log(r.Value)).ToArray();
        var yc = current.Select(r => Math.Log(r.Value)).ToArray();
        var d = Robust.Mean(yc) - Robust.Mean(yb);
        var noise = Noise(baseline, current, yb, yc, historyLogValues);
        var se = noise.LogSd * Math.Sqrt((1.0 / yb.Length) + (1.0 / yc.Length));
        double p, lo, hi, mdc;
        if (se == 0)
        {
            (p, lo, hi, mdc) = (d == 0 ? 1 : 0, d, d, 0);
        }
        else
        {
            // Each direction is tested one-sided at α, so the interval is (1 − 2α) two-sided: its bounds are
            // the one-sided (1 − α) bounds the verdict uses.
            p = StudentT.TwoSidedP(d / se, noise.DegreesOfFreedom);
            var q = StudentT.Quantile(1 - alpha, noise.DegreesOfFreedom);
            (lo, hi) = (d - (q * se), d + (q * se));
            mdc = (q + StudentT.Quantile(0.8, noise.DegreesOfFreedom)) * se;
        }

        return new ChangeEstimate(Math.Exp(Robust.Mean(yb)), Math.Exp(Robust.Mean(yc)), Percent(d), Percent(lo), Percent(hi), p,
            Percent(mdc), noise, yb.Length, yc.Length, fromSamples, historyLogValues.Count);
    }

    /// <summary>
    /// Never below the history's spread (it has seen the machine drift, which a short comparison cannot), but
    /// when the compared runs are noisier, their evidence and the history's are pooled by degrees of freedom.
    /// </summary>
    private static NoiseEstimate? Combine(NoiseEstimate? runs, NoiseEstimate? history)
    {
        if (runs is null || history is null)
        {
            return runs ?? history;
        }

        if (runs.LogSd <= history.LogSd)
        {
            return history;
        }

        var df = runs.DegreesOfFreedom + history.DegreesOfFreedom;
        var pooled = Math.Sqrt(((runs.DegreesOfFreedom * runs.LogSd * runs.LogSd) + (history.DegreesOfFreedom * history.LogSd * history.LogSd)) / df);
        return new NoiseEstimate(pooled, df, NoiseSource.Runs);
    }

    private static double Percent(double logRatio) => (Math.Exp(logRatio) - 1) * 100;

    private static NoiseEstimate Noise(IReadOnlyList<RunValue> baseline, IReadOnlyList<RunValue> current, double[] yb, double[] yc, IReadOnlyList<double> history)
    {
        var within = baseline.Concat(current).Select(r => r.WithinLogSd).Where(s => s is > 0).Select(s => s!.Value).ToList();
        var withinSd = within.Count > 0 ? Math.Sqrt(within.Average(s => s * s)) : (double?)null;
        var reps = baseline.Concat(current).Select(r => r.Repetitions).Where(n => n is > 1).Select(n => n!.Value).DefaultIfEmpty(5).Min();

        NoiseEstimate? fromRuns = null;
        if (yb.Length + yc.Length >= 3)
        {
            var ss = (Robust.Variance(yb) * (yb.Length - 1)) + (Robust.Variance(yc) * (yc.Length - 1));
            var df = yb.Length + yc.Length - 2;
            // A run's value is at least as uncertain as the mean of its repetitions.
            var floor = withinSd is { } w ? w / Math.Sqrt(reps) : 0;
            fromRuns = new NoiseEstimate(Math.Max(Math.Sqrt(ss / df), floor), df, NoiseSource.Runs);
        }

        NoiseEstimate? fromHistory = history.Count >= 3
            ? new NoiseEstimate(Math.Sqrt(Robust.Variance([.. history])), history.Count - 1, NoiseSource.History)
            : null;

        var best = Combine(fromRuns, fromHistory);
        if (best is not null)
        {
            return best.LogSd == 0 && yb.Concat(yc).Distinct().Count() == 1 ? new NoiseEstimate(0, double.PositiveInfinity, NoiseSource.None) : best;
        }

        if (yb.Concat(yc).All(y => y == yb[0]) && withinSd is null or 0)
        {
            return new NoiseEstimate(0, double.PositiveInfinity, NoiseSource.None);
        }

        // One run per side: repetitions share a process and a machine state, so the spread of one run's
        // value is taken as the spread of a single repetition (design effect n), never below the prior.
        return withinSd is { } sd
            ? new NoiseEstimate(Math.Max(sd, PriorLogSd / 2), Math.Max(2, reps - 1), NoiseSource.WithinRun)
            : new NoiseEstimate(PriorLogSd, 2, NoiseSource.WithinRun);
    }
}
