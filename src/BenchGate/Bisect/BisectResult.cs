namespace BenchGate.Bisect;

/// <summary>How a bisection ended.</summary>
public enum BisectOutcome
{
    /// <summary>The first bad commit is known: its parent was measured good.</summary>
    Found,

    /// <summary>Commits that do not build sit between the last good and the first bad: the culprit is one of them or the first bad.</summary>
    Ambiguous,

    /// <summary>The ends do not differ by more than the noise can show: there is nothing to bisect.</summary>
    NoChange,
}

/// <summary>
/// A bisection's result, from which the markdown, JSON and PR-comment line are rendered: the range, the benchmark, the
/// change between the ends, every probe in the order it was made, and the first bad commit with the change it made.
/// </summary>
/// <param name="Outcome">Found, Ambiguous or NoChange.</param>
/// <param name="Benchmark">The bisected benchmark's title.</param>
/// <param name="HigherIsBetter">The metric's direction.</param>
/// <param name="Ends">The change between the ends (its FromGood is log(bad / good)).</param>
/// <param name="EndsCached">The ends' verdict came from an earlier bisection.</param>
/// <param name="Probes">Every probe, in the order it was made.</param>
/// <param name="AllConfident">No decision was taken at the end of the budget without confidence.</param>
/// <param name="Range">The first-parent range, oldest first: the good end, every commit after it, the bad end last.</param>
/// <param name="Candidates">Indices into <paramref name="Range"/> of the commits that may be the culprit (one when Found).</param>
/// <param name="CulpritChange">log(culprit / its parent) with its standard error and degrees of freedom, when Found.</param>
/// <param name="Confidence">A lower bound of the probability that every decision was right: 1 − the sum of their p-values.</param>
/// <param name="Builds">Commits built (or found built) for this bisection, the ends included.</param>
/// <param name="Runs">Benchmark runs made (cached verdicts cost none).</param>
public sealed record BisectResult(
    BisectOutcome Outcome, string Benchmark, bool HigherIsBetter, IReadOnlyList<BisectCommit> Range, ProbeVerdict Ends, bool EndsCached,
    IReadOnlyList<BisectProbe> Probes, IReadOnlyList<int> Candidates, (double Log, double Se, double Df)? CulpritChange,
    double Confidence, bool AllConfident, int Builds, int Runs)
{
    public BisectCommit Good => Range[0];

    public BisectCommit Bad => Range[^1];

    /// <summary>The first bad commit, when Found.</summary>
    public BisectCommit? FirstBad => Outcome == BisectOutcome.Found ? Range[Candidates[0]] : null;

    /// <summary>The ends' change is a regression in the metric's direction (slower, or more of what should be less).</summary>
    public bool IsRegression => HigherIsBetter ? Ends.EndsChange < 0 : Ends.EndsChange > 0;
}

/// <summary>One commit's verdict for <c>git bisect run</c> (bisect-step), with the ends it was judged against.</summary>
/// <param name="Benchmark">The benchmark judged.</param>
/// <param name="Ends">The change between the ends.</param>
/// <param name="EndsCached">The ends came from the cache.</param>
/// <param name="Probe">The commit's verdict; null when the ends do not differ.</param>
/// <param name="ProbeCached">The commit's verdict came from the cache (or the commit is an end).</param>
/// <param name="Builds">Commits built or found built.</param>
/// <param name="Runs">Benchmark runs made.</param>
public sealed record BisectStep(string Benchmark, ProbeVerdict Ends, bool EndsCached, ProbeVerdict? Probe, bool ProbeCached, int Builds, int Runs);
