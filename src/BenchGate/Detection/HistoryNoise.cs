using BenchGate.Statistics;

namespace BenchGate.Detection;

/// <summary>One earlier value of a benchmark and metric (performance_history), with the commit it measured.</summary>
/// <param name="Commit">The commit, when known: consecutive values of one commit are one point of the history.</param>
/// <param name="LogValue">Natural log of the run's value.</param>
public sealed record HistoryValue(string? Commit, double LogValue);

/// <summary>
/// How much a benchmark moves from commit to commit around its current level, from its history, such that no step
/// (a real change, up or down, or a machine that slowed) inflates it: the history is collapsed to one point per commit,
/// and the spread of a point is estimated from successive differences, screened for the few large ones that a step
/// or an outlier makes (<see cref="Robust.StepRobustSd"/>). Runs of one commit, made back to back, also give the spread within a session.
/// </summary>
/// <param name="PointSd">Standard deviation of one commit's point around its level (log scale).</param>
/// <param name="DegreesOfFreedom">Effective degrees of freedom of <paramref name="PointSd"/> (about 0.6 (n − 1): successive differences).</param>
/// <param name="WithinSd">Spread of runs of one commit (pooled), when some commit had several runs.</param>
/// <param name="RunsPerPoint">Runs per commit (harmonic mean): a point's spread holds the within part divided by it.</param>
/// <param name="Points">Commits in the history.</param>
/// <param name="Values">Runs in the history.</param>
public sealed record HistoryNoise(double PointSd, double DegreesOfFreedom, double? WithinSd, double RunsPerPoint, int Points, int Values)
{
    /// <summary>Fewer points than this say nothing about the noise.</summary>
    public const int MinimumPoints = 3;

    /// <summary>The noise of a history given newest first (or oldest first: differences do not care), or null with fewer than <see cref="MinimumPoints"/> commits.</summary>
    public static HistoryNoise? From(IReadOnlyList<HistoryValue> values)
    {
        var points = new List<double>();
        var sizes = new List<int>();
        double withinSs = 0;
        var withinDf = 0;
        for (var i = 0; i < values.Count;)
        {
            var j = i + 1;
            while (j < values.Count && values[i].Commit is { } c && values[j].Commit == c)
            {
                j++;
            }

            var group = new double[j - i];
            for (var k = i; k < j; k++)
            {
                group[k - i] = values[k].LogValue;
            }

            points.Add(Robust.Mean(group));
            sizes.Add(group.Length);
            withinSs += Robust.Variance(group) * (group.Length - 1);
            withinDf += group.Length - 1;
            i = j;
        }

        if (points.Count < MinimumPoints)
        {
            return null;
        }

        var harmonic = sizes.Count / sizes.Sum(s => 1.0 / s);
        var (sd, df) = Robust.StepRobustSd([.. points]);
        return new HistoryNoise(sd, df, withinDf > 0 ? Math.Sqrt(withinSs / withinDf) : null, harmonic, points.Count, values.Count);
    }

    /// <summary>
    /// Variance of the difference between a side of <paramref name="baselineRuns"/> runs and one of <paramref name="currentRuns"/> runs,
    /// each made in one session: the between-session part of a point's spread does not average out over runs, the within part does.
    /// </summary>
    /// <remarks>
    /// A history of one run per commit cannot tell the two parts apart; its spread is then taken as the spread of a run, as
    /// if sessions did not differ. Splitting it with the compared runs' own spread (few degrees of freedom) instead cost half
    /// the power on resampled A/A runs (bench/RESULTS.md): the split needs commits with several runs (ci push --runs 3).
    /// </remarks>
    /// <param name="baselineRuns">Runs on the baseline side.</param>
    /// <param name="currentRuns">Runs on the current side.</param>
    public double DifferenceVariance(int baselineRuns, int currentRuns)
    {
        var within = WithinSd ?? PointSd;
        var inverse = (1.0 / baselineRuns) + (1.0 / currentRuns);
        var between = Math.Max(0, (PointSd * PointSd) - (within * within / RunsPerPoint));
        return (2 * between) + (within * within * inverse);
    }
}
