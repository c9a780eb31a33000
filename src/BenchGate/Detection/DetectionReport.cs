using BenchGate.Model;

namespace BenchGate.Detection;

/// <summary>Everything one detect found; every report format is rendered from it.</summary>
public sealed record DetectionReport(
    DateTimeOffset Generated,
    double ThresholdPercent,
    double Alpha,
    string BaselineLabel,
    string CurrentLabel,
    IReadOnlyList<BenchmarkComparison> Comparisons,
    IReadOnlyList<(BenchmarkKey Key, string Title)> Added,
    IReadOnlyList<(BenchmarkKey Key, string Title)> Removed)
{
    /// <summary>One verdict per benchmark: Regression over Inconclusive over Improvement over Stable.</summary>
    public IReadOnlyList<(BenchmarkKey Key, string Title, Verdict Verdict)> Benchmarks =>
        [.. Comparisons.GroupBy(c => c.Key).Select(g => (g.Key, g.First().Title, Worst(g.Select(c => c.Verdict))))];

    public int Count(Verdict verdict) => Benchmarks.Count(b => b.Verdict == verdict);

    public bool HasRegression => Comparisons.Any(c => c.Verdict == Verdict.Regression && !c.KnownFalsePositive);

    public bool HasInconclusive => Comparisons.Any(c => c.Verdict == Verdict.Inconclusive);

    private static Verdict Worst(IEnumerable<Verdict> verdicts)
    {
        var list = verdicts.ToList();
        return list.Contains(Verdict.Regression) ? Verdict.Regression
            : list.Contains(Verdict.Inconclusive) ? Verdict.Inconclusive
            : list.Contains(Verdict.Improvement) ? Verdict.Improvement
            : Verdict.Stable;
    }
}
