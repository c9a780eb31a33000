namespace BenchGate.Storage;

/// <summary>What <c>benchgate migrate</c> did: versions applied now, the version reached, repairs and adopted rows.</summary>
public sealed record MigrationReport(
    int VersionBefore,
    int VersionAfter,
    IReadOnlyList<string> Applied,
    IReadOnlyList<string> AddedColumns,
    int AdoptedRows,
    int AdoptedRuns);
