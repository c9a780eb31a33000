using BenchGate.Statistics;

namespace BenchGate.Detection;

/// <summary>
/// Compares the runs of one benchmark and metric on the log scale, where a change is a ratio.
/// The unit of replication is the run: each run contributes one value. The noise is the compared runs' spread or the
/// history's (step-robust, whichever is larger), the spread of within-pair differences for interleaved pairs, or the
/// repetitions' when there is one run per side and no history.
/// </summary>
public static class ChangeAnalysis
{
    /// <summary>
    /// A history with fewer effective degrees of freedom than this (about 12 commits) is short: its variance is moderated
    /// towards the runs' repetition spread. A longer one is trusted alone, since repetitions often vary more than runs do
    /// (the interleaved A/A fixture: 7% against 4%) and moderating it would cost power for nothing.
    /// </summary>
    public const double ShortHistoryDegreesOfFreedom = 8;

    /// <summary>Run-to-run spread assumed when nothing measured it (no samples, no stddev, no history).</summary>
    public const double PriorLogSd = 0.05;

    /// <summary>Two independent groups of runs (made at different times, or on different machines).</summary>
    public static ChangeEstimate Analyse(IReadOnlyList<RunValue> baseline, IReadOnlyList<RunValue> current, IReadOnlyList<HistoryValue> history, double alpha, bool fromSamples)
    {
        var yb = Logs(baseline);
        var yc = Logs(current);
        var d = Robust.Mean(yc) - Robust.Mean(yb);
        var historyNoise = HistoryNoise.From(history);
        var noise = Noise(baseline, current, yb, yc, historyNoise);
        return Estimate(Math.Exp(Robust.Mean(yb)), Math.Exp(Robust.Mean(yc)), d, noise, yb.Length, yc.Length, alpha, fromSamples, history.Count, historyNoise?.Points ?? 0);
    }

    /// <summary>
    /// Runs made in pairs, baseline and current one after the other on one machine (run --interleave, ci pr): the drift
    /// of the machine is common to both runs of a pair and cancels in their difference, so the noise is the spread of the
    /// within-pair differences alone (df = pairs − 1), never below what the repetitions allow.
    /// </summary>
    public static ChangeEstimate AnalysePairs(IReadOnlyList<(RunValue Baseline, RunValue Current)> pairs, int historyValues, double alpha, bool fromSamples)
    {
        var diffs = pairs.Select(p => Math.Log(p.Current.Value) - Math.Log(p.Baseline.Value)).ToArray();
        var d = Robust.Mean(diffs);
        var n = diffs.Length;
        var (withinSd, reps) = Within([.. pairs.SelectMany(p => new[] { p.Baseline, p.Current })]);
        // Per-run equivalent: Var(difference) = 2σ², so σ·√(1/n + 1/n) is the standard error of the mean difference.
        var sd = Math.Sqrt(Robust.Variance(diffs) / 2);
        var floor = withinSd is { } w ? w / Math.Sqrt(reps) : 0;
        var noise = diffs.All(x => x == diffs[0]) && withinSd is null or 0
            ? new NoiseEstimate(0, double.PositiveInfinity, NoiseSource.None)
            : new NoiseEstimate(Math.Max(sd, floor), n - 1, NoiseSource.Pairs);
        var baselineValue = Math.Exp(Robust.Mean([.. pairs.Select(p => Math.Log(p.Baseline.Value))]));
        return Estimate(baselineValue, baselineValue * Math.Exp(d), d, noise, n, n, alpha, fromSamples, historyValues, 0);
    }

    private static ChangeEstimate Estimate(double baselineValue, double currentValue, double d, NoiseEstimate noise, int nb, int nc, double alpha, bool fromSamples, int historyValues, int historyPoints)
    {
        var se = noise.LogSd * Math.Sqrt((1.0 / nb) + (1.0 / nc));
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

        return new ChangeEstimate(baselineValue, currentValue, Percent(d), Percent(lo), Percent(hi), p, Percent(mdc), noise, nb, nc, fromSamples, historyValues, historyPoints);
    }

    private static double[] Logs(IReadOnlyList<RunValue> runs)
    {
        var logs = new double[runs.Count];
        for (var i = 0; i < logs.Length; i++)
        {
            logs[i] = Math.Log(runs[i].Value);
        }

        return logs;
    }

    private static double Percent(double logRatio) => (Math.Exp(logRatio) - 1) * 100;

    /// <summary>Root mean square of the runs' own repetition spread, and the fewest repetitions of a run (5 when none says).</summary>
    private static (double? Sd, int Repetitions) Within(IReadOnlyList<RunValue> runs, IReadOnlyList<RunValue>? more = null)
    {
        // A loop: this runs for every metric of every benchmark, and the LINQ form made five iterators each time.
        var (sumSquares, count, reps) = (0.0, 0, int.MaxValue);
        for (var i = 0; i < runs.Count + (more?.Count ?? 0); i++)
        {
            var r = i < runs.Count ? runs[i] : more![i - runs.Count];
            if (r.WithinLogSd is > 0 and var s)
            {
                sumSquares += s * s;
                count++;
            }

            if (r.Repetitions is > 1 and var n)
            {
                reps = Math.Min(reps, n);
            }
        }

        return (count > 0 ? Math.Sqrt(sumSquares / count) : null, reps == int.MaxValue ? 5 : reps);
    }

    private static NoiseEstimate Noise(IReadOnlyList<RunValue> baseline, IReadOnlyList<RunValue> current, double[] yb, double[] yc, HistoryNoise? history)
    {
        var (withinSd, reps) = Within(baseline, current);
        NoiseEstimate? fromRuns = null;
        if (yb.Length + yc.Length >= 3)
        {
            var ss = (Robust.Variance(yb) * (yb.Length - 1)) + (Robust.Variance(yc) * (yc.Length - 1));
            var df = yb.Length + yc.Length - 2;
            // A run's value is at least as uncertain as the mean of its repetitions.
            var floor = withinSd is { } w ? w / Math.Sqrt(reps) : 0;
            fromRuns = new NoiseEstimate(Math.Max(Math.Sqrt(ss / df), floor), df, NoiseSource.Runs);
        }

        NoiseEstimate? fromHistory = null;
        if (history is not null)
        {
            // Expressed per run, so that the standard error is σ·√(1/n_b + 1/n_c) whatever the source.
            var inverse = (1.0 / yb.Length) + (1.0 / yc.Length);
            var perRun = Math.Sqrt(history.DifferenceVariance(yb.Length, yc.Length) / inverse);
            // A short history that happens to be tight is not evidence of a quiet machine: its variance is moderated
            // towards the runs' own repetition spread (the cold-start estimate, df = repetitions − 1), as limma moderates
            // gene-wise variances, and never below its own. Without it four close commits made a −29% A/A glitch a Regression.
            if (withinSd is { } w && w > perRun && history.DegreesOfFreedom < ShortHistoryDegreesOfFreedom)
            {
                var d0 = Math.Max(1, reps - 1);
                perRun = Math.Sqrt(((d0 * w * w) + (history.DegreesOfFreedom * perRun * perRun)) / (d0 + history.DegreesOfFreedom));
            }

            fromHistory = new NoiseEstimate(perRun, history.DegreesOfFreedom, NoiseSource.History);
        }

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
}
