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
    IReadOnlyList<(BenchmarkKey Key, string Title)> Removed,
    IReadOnlyList<string>? Mismatch = null,
    IReadOnlyList<Memory.MemoryRegression>? Memory = null)
{
    /// <summary>Peak memory of the runs that grew past the threshold, statistically established: they fail the gate too.</summary>
    public IReadOnlyList<Memory.MemoryRegression> MemoryRegressions => [.. (Memory ?? []).Where(m => m.Verdict == Verdict.Regression)];

    /// <summary>No benchmark was on both sides: the gate compared nothing and must not pass. <see cref="Mismatch"/> says why.</summary>
    public bool ComparedNothing => Comparisons.Count == 0;

    private IReadOnlyList<(BenchmarkKey Key, string Title, Verdict Verdict)>? _benchmarks;

    // A copy made with `with` may change Comparisons: it must not inherit the cached verdicts.
    private DetectionReport(DetectionReport original)
    {
        Generated = original.Generated;
        ThresholdPercent = original.ThresholdPercent;
        Alpha = original.Alpha;
        BaselineLabel = original.BaselineLabel;
        CurrentLabel = original.CurrentLabel;
        Comparisons = original.Comparisons;
        Added = original.Added;
        Removed = original.Removed;
        Mismatch = original.Mismatch;
        Memory = original.Memory;
    }

    /// <summary>One verdict per benchmark: Regression over Inconclusive over Improvement over Stable.</summary>
    public IReadOnlyList<(BenchmarkKey Key, string Title, Verdict Verdict)> Benchmarks =>
        _benchmarks ??= [.. Comparisons.GroupBy(c => c.Key).Select(g => (g.Key, g.First().Title, Worst(g.Select(c => c.Verdict))))];

    public int Count(Verdict verdict) => Benchmarks.Count(b => b.Verdict == verdict);

    public bool HasRegression => Comparisons.Any(c => c.IsFailingRegression) || MemoryRegressions.Count > 0;

    /// <summary>Regressions found and not marked false positive: what fails the gate.</summary>
    public int FailingRegressions => Comparisons.Where(c => c.IsFailingRegression).Select(c => c.Key).Distinct().Count();

    /// <summary>Benchmarks without a regression where one past the threshold is possible (⚠️).</summary>
    public int Warnings
    {
        get
        {
            var regressed = Comparisons.Where(c => c.Verdict == Verdict.Regression).Select(c => c.Key).ToHashSet();
            return Comparisons.Where(c => c.IsWarning && !regressed.Contains(c.Key)).Select(c => c.Key).Distinct().Count();
        }
    }

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
