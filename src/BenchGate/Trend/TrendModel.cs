using BenchGate.Detection;
using BenchGate.Model;

namespace BenchGate.Trend;

/// <summary>One commit of a series: its runs merged (geometric mean) with an interval.</summary>
/// <param name="Commit">The commit.</param>
/// <param name="Value">Geometric mean of its runs' values.</param>
/// <param name="Low">Lower end of the (1 − 2α) interval of the value (runs' spread, or one run's repetitions).</param>
/// <param name="High">Upper end.</param>
/// <param name="Runs">Runs of this commit.</param>
public sealed record TrendPoint(string Commit, double Value, double Low, double High, int Runs);

/// <summary>The history of one benchmark and metric on one machine, one point per commit in commit order.</summary>
/// <param name="Id">Stable id of the series: key, metric, machine and branch.</param>
/// <param name="Key">The benchmark.</param>
/// <param name="Title">Its heading, as detect titles it.</param>
/// <param name="Metric">What the values are.</param>
/// <param name="Machine">Machine or runner, when known.</param>
/// <param name="Branch">Branch the runs were filtered on, when one was.</param>
/// <param name="Points">Oldest first.</param>
public sealed record TrendSeries(string Id, BenchmarkKey Key, string Title, Metric Metric, string? Machine, string? Branch, IReadOnlyList<TrendPoint> Points)
{
    /// <summary>llama-bench's name of the test (pp512, tg128).</summary>
    public string Test => BenchmarkTitle.Test(Key) ?? "?";
}

/// <summary>What probably caused a change point.</summary>
public enum SuspectedCause
{
    /// <summary>Nothing points away from the commit.</summary>
    Code,

    /// <summary>Most series of the machine moved at once by a similar amount (or the fixed reference build moved too): the machine, not the commit.</summary>
    Machine,
}

/// <summary>A change point of a series, judged against the threshold.</summary>
/// <param name="Index">Index of the first point of the new level.</param>
/// <param name="Commit">First commit of the new level.</param>
/// <param name="PreviousCommit">Last commit of the old level.</param>
/// <param name="ChangePercent">New level / old level − 1.</param>
/// <param name="CiLowPercent">Lower end of the change's (1 − 2α) interval.</param>
/// <param name="CiHighPercent">Upper end.</param>
/// <param name="PValue">Of the two levels being one.</param>
/// <param name="Verdict">Regression or Improvement (by the threshold; smaller shifts are not reported).</param>
/// <param name="Cause">Code, or Machine with <paramref name="Evidence"/>.</param>
/// <param name="Evidence">Why the machine is suspected, in words.</param>
public sealed record TrendChangePoint(int Index, string Commit, string PreviousCommit, double ChangePercent, double CiLowPercent, double CiHighPercent, double PValue,
    Verdict Verdict, SuspectedCause Cause = SuspectedCause.Code, string? Evidence = null)
{
    /// <summary>The alert raised for it, once stored.</summary>
    public long? AlertId { get; init; }

    /// <summary>The alert was raised by this analysis (not an earlier one).</summary>
    public bool NewAlert { get; init; }

    /// <summary>The alert's status (open, acknowledged, false_positive, fixed).</summary>
    public string? AlertStatus { get; init; }

    /// <summary>Stored as the machine's, now the code's: it fails trend this time, as a new regression would.</summary>
    public bool Escalated { get; init; }
}

/// <summary>A series and what its analysis found.</summary>
/// <param name="Series">The series.</param>
/// <param name="ThresholdPercent">Threshold for this benchmark and metric.</param>
/// <param name="ChangePoints">Reported change points (past the threshold), oldest first.</param>
/// <param name="Levels">Every confirmed level shift, reported or not (the segments detect's noise is estimated within).</param>
/// <param name="Candidates">Candidate indexes kept for the next, incremental, analysis.</param>
public sealed record SeriesTrend(TrendSeries Series, double ThresholdPercent, IReadOnlyList<TrendChangePoint> ChangePoints, IReadOnlyList<ChangePoint> Levels, IReadOnlyList<int> Candidates);

/// <summary>Everything one <c>benchgate trend</c> found; its reports are rendered from it.</summary>
/// <param name="Generated">When.</param>
/// <param name="ThresholdPercent">Default threshold.</param>
/// <param name="Alpha">Level of the change intervals (1 − 2α).</param>
/// <param name="Order">How commits were ordered (first-parent history of a branch, or the order runs were stored).</param>
/// <param name="Series">Every series analysed.</param>
public sealed record TrendReport(DateTimeOffset Generated, double ThresholdPercent, double Alpha, string Order, IReadOnlyList<SeriesTrend> Series)
{
    /// <summary>
    /// Regression change points found for the first time (or put down to the code for the first time) and not to the
    /// machine, whose alert is not marked false_positive: what fails trend.
    /// </summary>
    public IEnumerable<(SeriesTrend Series, TrendChangePoint ChangePoint)> NewRegressions =>
        Series.SelectMany(s => s.ChangePoints.Select(c => (s, c)))
            .Where(x => (x.c.NewAlert || x.c.Escalated) && x.c.Verdict == Verdict.Regression && x.c.Cause == SuspectedCause.Code && x.c.AlertStatus != "false_positive");
}
