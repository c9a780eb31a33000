using System.Globalization;
using BenchGate.Bisect;
using BenchGate.Statistics;

namespace BenchGate.Reports;

/// <summary>The numbers of a bisection as its reports show them: changes in percent with their 95% intervals.</summary>
public static class BisectText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A log-scale change, its standard error and degrees of freedom as percentages: the change and its 95% interval.</summary>
    public static (double Percent, double Low, double High) Interval(double log, double se, double df)
    {
        var t = double.IsPositiveInfinity(df) || se == 0 ? 1.959964 : StudentT.Quantile(0.975, Math.Max(df, 1));
        return (Pct(log), Pct(log - (t * se)), Pct(log + (t * se)));
    }

    /// <summary>"−33.1% [−34.0%, −32.2%]".</summary>
    public static string Change(double log, double se, double df)
    {
        var (p, lo, hi) = Interval(log, se, df);
        return string.Create(Inv, $"{Signed(p)} [{Signed(lo)}, {Signed(hi)}]");
    }

    public static string Signed(double percent) => percent.ToString("+0.0;-0.0;0.0", Inv) + "%";

    /// <summary>The confidence that every decision was right, floored so that 0.99996 does not read as certainty.</summary>
    public static string Confidence(double c) => c >= 0.999 ? "≥ 99.9%" : (Math.Floor(c * 1000) / 10).ToString("0.0", Inv) + "%";

    /// <summary>One line for the PR comment and the terminal.</summary>
    public static string Line(BisectResult r) => r.Outcome switch
    {
        BisectOutcome.Found when r.CulpritChange is var (log, se, df) =>
            $"bisect: first bad commit {r.FirstBad!.Short} ({r.FirstBad.Subject}): {Test(r)} {Change(log, se, df)}, confidence {Confidence(r.Confidence)}{(r.AllConfident ? "" : " (some steps hit --max-runs)")}; {Spent(r)}",
        BisectOutcome.Ambiguous =>
            $"bisect: the first bad commit is one of {string.Join(", ", r.Candidates.Select(i => r.Range[i].Short))} (the others were skipped); {Spent(r)}",
        _ => $"bisect: no change between {r.Good.Short} and {r.Bad.Short} that the noise can show ({Test(r)} {Change(r.Ends.EndsChange, r.Ends.FromGoodSe, r.Ends.DegreesOfFreedom)} after {Words.Count(r.Ends.Rounds, "round")}); {Spent(r)}",
    };

    public static string Spent(BisectResult r) =>
        $"{Words.Count(r.Builds, "build")}, {Words.Count(r.Runs, "run")}{(r.Probes.Count(p => p.Cached) + (r.EndsCached ? 1 : 0) is > 0 and var c ? $", {Words.Count(c, "verdict")} from the cache" : "")}";

    private static string Test(BisectResult r) => r.Benchmark;

    private static double Pct(double log) => (Math.Exp(log) - 1) * 100;
}
