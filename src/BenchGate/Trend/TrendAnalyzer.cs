using BenchGate.Detection;
using BenchGate.Statistics;

namespace BenchGate.Trend;

/// <summary>What an earlier analysis of a series left for the next one: how far it got and its candidates, by commit.</summary>
/// <param name="Points">Points analysed.</param>
/// <param name="LastCommit">The last of them (a series whose history was rewritten is analysed afresh).</param>
/// <param name="Candidates">Commits of the candidate change points.</param>
public sealed record TrendState(int Points, string LastCommit, IReadOnlyList<string> Candidates);

/// <summary>
/// Finds the change points of each series (<see cref="ChangePointDetector"/>, on the log of the values, where a change is a
/// ratio) and reports those past the benchmark's threshold as Regression or Improvement, with the change between the two
/// levels and its interval.
/// </summary>
public sealed class TrendAnalyzer(Thresholds thresholds, double alpha = 0.01, ChangePointOptions? options = null)
{
    private readonly ChangePointDetector _detector = new(options);

    /// <summary>Analyses one series, reusing <paramref name="previous"/> when the series only grew since.</summary>
    public SeriesTrend Analyse(TrendSeries series, TrendState? previous = null)
    {
        var logs = series.Points.Select(p => Math.Log(p.Value)).ToArray();
        var index = series.Points.Select((p, i) => (p.Commit, i)).ToDictionary(x => x.Commit, x => x.i, StringComparer.Ordinal);
        List<int>? reuse = null;
        if (previous is not null && previous.Points <= series.Points.Count && previous.Points > 0
            && series.Points[previous.Points - 1].Commit == previous.LastCommit && previous.Candidates.All(index.ContainsKey))
        {
            reuse = [.. previous.Candidates.Select(c => index[c])];
        }

        var analysis = _detector.Detect(logs, reuse, reuse is null ? 0 : previous!.Points);
        var threshold = thresholds.For(series.Key, series.Metric);
        var reported = new List<TrendChangePoint>();
        foreach (var cp in analysis.Confirmed)
        {
            var q = StudentT.Quantile(1 - alpha, cp.DegreesOfFreedom);
            var (lo, hi) = (cp.LogChange - (q * cp.StandardError), cp.LogChange + (q * cp.StandardError));
            var estimate = new ChangeEstimate(Math.Exp(logs[(cp.Index - cp.Before)..cp.Index].Average()), Math.Exp(logs[cp.Index..(cp.Index + cp.After)].Average()),
                Percent(cp.LogChange), Percent(lo), Percent(hi), cp.PValue, 0, new NoiseEstimate(cp.StandardError, cp.DegreesOfFreedom, NoiseSource.History),
                cp.Before, cp.After, false, cp.Before, cp.Before);
            var verdict = VerdictRule.Decide(series.Metric, threshold, estimate, cp.PValue, alpha).Verdict;
            if (verdict is Verdict.Regression or Verdict.Improvement)
            {
                reported.Add(new TrendChangePoint(cp.Index, series.Points[cp.Index].Commit, series.Points[cp.Index - 1].Commit, estimate.ChangePercent,
                    estimate.CiLowPercent, estimate.CiHighPercent, cp.PValue, verdict));
            }
        }

        return new SeriesTrend(series, threshold, reported, analysis.Confirmed, analysis.Candidates);
    }

    /// <summary>The state to keep for the next analysis of this series.</summary>
    public static TrendState State(SeriesTrend trend) =>
        new(trend.Series.Points.Count, trend.Series.Points[^1].Commit, [.. trend.Candidates.Select(i => trend.Series.Points[i].Commit)]);

    private static double Percent(double log) => (Math.Exp(log) - 1) * 100;
}
