using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Statistics;

namespace BenchGate.Bench.Detection;

/// <summary>The three detectors the harness compares, reduced to "does avg_ts of this benchmark regress?".</summary>
internal static class Detectors
{
    public static bool BenchGate(IReadOnlyList<RunRecords> baseline, IReadOnlyList<RunRecords> current, BenchmarkKey key, INoiseHistory history, out ChangeEstimate? estimate)
    {
        var report = new Detector(new DetectionSettings(Thresholds.Uniform(5.0), Metrics: [Metric.TokensPerSecond]), history)
            .Compare(new ComparisonSide("b", baseline), new ComparisonSide("c", current), DateTimeOffset.UnixEpoch);
        var c = report.Comparisons.Single(x => x.Key.Equals(key));
        estimate = c.Estimate;
        return c.Verdict == Verdict.Regression;
    }

    /// <summary>The spec's rule: the mean avg_ts dropped by more than the threshold.</summary>
    public static bool Naive(IReadOnlyList<RunRecords> baseline, IReadOnlyList<RunRecords> current, BenchmarkKey key)
    {
        var b = baseline.SelectMany(r => r.Records).Where(x => x.Key.Equals(key)).Average(x => x.AvgTs);
        var c = current.SelectMany(r => r.Records).Where(x => x.Key.Equals(key)).Average(x => x.AvgTs);
        return (c / b) - 1 < -0.05;
    }

    /// <summary>Mann–Whitney on all repetitions pooled (ignoring runs), p &lt; 0.05 and slower.</summary>
    public static bool MannWhitneyPooled(IReadOnlyList<RunRecords> baseline, IReadOnlyList<RunRecords> current, BenchmarkKey key)
    {
        var b = baseline.SelectMany(r => r.Records).Where(x => x.Key.Equals(key)).SelectMany(x => x.SamplesTs!).ToList();
        var c = current.SelectMany(r => r.Records).Where(x => x.Key.Equals(key)).SelectMany(x => x.SamplesTs!).ToList();
        return MannWhitney.TwoSidedP(b, c) < 0.05 && Robust.Median([.. c]) < Robust.Median([.. b]);
    }
}
