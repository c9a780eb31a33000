namespace BenchGate.Storage;

/// <summary>What a results database holds, for <c>benchgate show</c>.</summary>
public sealed record StoreSummary(
    string Location,
    int SchemaVersion,
    long Rows,
    long UnmanagedRows,
    IReadOnlyList<CommitSummary> Commits,
    IReadOnlyList<MachineSummary> Machines,
    IReadOnlyList<ConfigurationSummary> Configurations,
    IReadOnlyList<RunSummary> Runs);

/// <summary>One commit in a store: its runs and rows, and when they were ingested.</summary>
public sealed record CommitSummary(string Commit, string? BuildCommit, long? BuildNumber, int Runs, long Rows, string FirstIngested, string LastIngested);

/// <summary>One machine in a store: its CPU, GPU and backends, and how much it ran.</summary>
public sealed record MachineSummary(string Machine, string CpuInfo, string GpuInfo, string Backends, int Runs, long Rows);

/// <summary>One benchmark key with how often it was measured.</summary>
public sealed record ConfigurationSummary(string KeyHash, string Model, string ModelType, string Backends, string Test, long Threads, int Runs, long Rows, bool HasSamples);

/// <summary>One stored run: where it came from, what it measured, and when it was ingested.</summary>
public sealed record RunSummary(string RunId, string? Commit, string? Branch, string? Machine, string Source, string Format, string IngestedAt, long Rows, int? Repetitions);
