using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>
/// Watches a source's records as they are stored one run after another and says whether its runs may be worth
/// regrouping by repetition (<see cref="RunAssigner.Regroups"/>), for the store to decide. A build has one run at least,
/// so only a source with over half again as many runs as builds can be; the repetition rule's runs are counted as the
/// records stream by, up to 200,000 (build, benchmark) pairs (~10 MB), past which (a long history: every commit a
/// build) the store counts them.
/// </summary>
public sealed class RegroupCheck
{
    private const int MaxTrackedPairs = 200_000;
    private readonly HashSet<string> _builds = new(StringComparer.Ordinal);
    private RunAssigner? _repetitions = new();

    /// <summary>Counts one record as it is stored.</summary>
    public void Add(BenchmarkRecord record)
    {
        _builds.Add(record.BuildCommit ?? "\0unknown");
        _repetitions?.RunOf(record);
        if (_repetitions is { Tracked: > MaxTrackedPairs })
        {
            _repetitions = null;
        }
    }

    /// <summary>Whether a source stored as <paramref name="splitRuns"/> runs should be offered to the store for regrouping.</summary>
    public bool Worth(int splitRuns) =>
        RunAssigner.Regroups(splitRuns, _builds.Count) && (_repetitions is null || RunAssigner.Regroups(splitRuns, _repetitions.RunCount));
}
