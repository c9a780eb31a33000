using BenchGate.Model;
using BenchGate.Trend;

namespace BenchGate.Dashboard;

/// <summary>
/// Peak RSS of the runs that measured each benchmark, per commit (the median when a commit has several runs): <c>run</c>
/// records one peak per llama-bench invocation, which measured every benchmark of that run. Collected from the runs as they
/// are read (<see cref="Add"/>), keeping one entry per benchmark of a run that has a peak, not the runs.
/// </summary>
public sealed class MemoryPeaks(IReadOnlyList<MemoryEntry> memory)
{
    private readonly Dictionary<string, double> _peakOfRun = memory.Where(m => m.RunId is not null && m.Detector == "rss" && m.PeakMb is { } p && double.IsFinite(p))
        .GroupBy(m => m.RunId!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Max(m => m.PeakMb!.Value), StringComparer.Ordinal);

    private readonly Dictionary<(BenchmarkKey, string?, string?), List<(string Commit, double Peak)>> _perCommit = [];

    public void Add(TrendRun run)
    {
        if (run.Run.Commit is not { } commit || !_peakOfRun.TryGetValue(run.Run.RunId, out var peak))
        {
            return;
        }

        foreach (var key in run.Run.Records.Select(r => r.Key).Distinct())
        {
            // Series of runs on no branch (ingest without --branch) are keyed by machine alone.
            var id = (key, run.Machine, run.Branch);
            if (!_perCommit.TryGetValue(id, out var list))
            {
                _perCommit[id] = list = [];
            }

            list.Add((commit, peak));
        }
    }

    /// <summary>Each benchmark's points by (key, machine, branch); runs were added in storage order, and a commit's point keeps its first run's place.</summary>
    public Dictionary<(BenchmarkKey Key, string? Machine, string? Branch), IReadOnlyList<MemoryPoint>> ByBenchmark() =>
        _perCommit.ToDictionary(p => p.Key, p => (IReadOnlyList<MemoryPoint>)[.. p.Value.GroupBy(x => x.Commit, StringComparer.Ordinal)
            .Select(g => new MemoryPoint(g.Key, Statistics.Robust.Median([.. g.Select(x => x.Peak)])))]);
}
