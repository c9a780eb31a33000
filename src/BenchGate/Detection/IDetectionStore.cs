namespace BenchGate.Detection;

/// <summary>
/// What detect reads from and writes to the current database: earlier runs of each benchmark (for their usual
/// noise), alerts marked false positive, and after a detect the current runs and the new regressions.
/// </summary>
public interface IDetectionStore : INoiseHistory
{
    /// <summary>Benchmarks (key hashes) whose alert for these commits was marked false_positive: their regressions are reported, not failing.</summary>
    HashSet<string> FalsePositives(string? baselineCommit, string? currentCommit);

    /// <summary>Stores the current runs' values (once per run, benchmark and metric) and the new regressions; returns the alert ids.</summary>
    List<long> Record(DetectionReport report, ComparisonSide current, string? baselineCommit, string? currentCommit, string? branch, string? machine);
}
