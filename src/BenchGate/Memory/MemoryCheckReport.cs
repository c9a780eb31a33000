using BenchGate.Detection;

namespace BenchGate.Memory;

/// <summary>A peak-memory comparison of one source against the baseline commit (detect's statistics, lower is better).</summary>
public sealed record MemoryRegression(string Source, ChangeEstimate Estimate, Verdict Verdict, Metric Metric);

/// <summary>Everything one memcheck found; the markdown and JSON reports are rendered from it.</summary>
public sealed record MemoryCheckReport(DateTimeOffset Generated, string? Commit, MemoryThresholds Thresholds, IReadOnlyList<MemoryFinding> Findings,
    IReadOnlyList<LlamaMemoryProfile> Profiles, IReadOnlyList<MemoryRegression> Regressions)
{
    public IEnumerable<MemoryFinding> Leaks => Findings.Where(f => f.Kind == MemoryFindingKind.Leak);

    public IEnumerable<MemoryFinding> Excessive => Findings.Where(f => f.Kind == MemoryFindingKind.Excessive);

    public IEnumerable<MemoryFinding> Growth => Findings.Where(f => f.Kind == MemoryFindingKind.Growth);

    /// <summary>Leaks, excessive use, growth or a peak-memory regression: the check fails.</summary>
    public bool Failed => Leaks.Any() || Excessive.Any() || Growth.Any() || Regressions.Any(r => r.Verdict == Verdict.Regression);
}
