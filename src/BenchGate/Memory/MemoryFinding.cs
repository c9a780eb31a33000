namespace BenchGate.Memory;

/// <summary>What a memory finding is: the spec's memory_leak_logs.kind.</summary>
public enum MemoryFindingKind
{
    /// <summary>Memory not freed (a leak report) or growing through the steady phase (a fitted slope).</summary>
    Leak,

    /// <summary>Peak use above the excessive-use threshold.</summary>
    Excessive,

    /// <summary>llama.cpp buffers that grow between contexts of one configuration, or a failed memory status.</summary>
    Growth,

    /// <summary>Checked and clean: recorded so that history shows what was checked.</summary>
    Ok,
}

/// <summary>One row of memory_leak_logs: where it was found, by what, and how much.</summary>
/// <param name="Source">The log file or command.</param>
/// <param name="TestName">The test it belongs to (ctest name, llama-bench test), when known.</param>
/// <param name="Detector">asan, valgrind, rss, llama-log.</param>
/// <param name="Kind">Leak, excessive, growth or ok.</param>
/// <param name="InitialMb">Memory at the start of the steady phase (rss) or first context (llama-log).</param>
/// <param name="FinalMb">Memory at the end.</param>
/// <param name="PeakMb">Highest memory seen.</param>
/// <param name="LeakedMb">Memory lost or grown.</param>
/// <param name="LeakedBytes">Bytes a leak report names.</param>
/// <param name="LeakedObjects">Allocations a leak report names.</param>
/// <param name="MemoryStatus">llama-memory.h's status code (0–3) when a log reports one.</param>
/// <param name="Details">One line a person can act on.</param>
public sealed record MemoryFinding(
    string Source,
    string? TestName,
    string Detector,
    MemoryFindingKind Kind,
    double? InitialMb,
    double? FinalMb,
    double? PeakMb,
    double? LeakedMb,
    long? LeakedBytes,
    long? LeakedObjects,
    int? MemoryStatus,
    string Details)
{
    public const double BytesPerMb = 1024 * 1024;
}

/// <summary>The thresholds of the spec: a leak from 1 MB, excessive use from 16 GB.</summary>
public sealed record MemoryThresholds(double LeakMb = 1.0, double ExcessiveGb = 16.0)
{
    public double ExcessiveMb => ExcessiveGb * 1024;
}
