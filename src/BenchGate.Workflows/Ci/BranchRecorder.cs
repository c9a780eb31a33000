using BenchGate.Model;
using BenchGate.Trend;

namespace BenchGate.Workflows.Ci;

/// <summary>
/// Passes stored runs on to trend while noting the branch of the last run of each of <paramref name="keyHashes"/>' benchmarks
/// on each machine: the dashboard page a PR comment links to is that branch's.
/// </summary>
internal sealed class BranchRecorder(ITrendRuns runs, IReadOnlySet<string> keyHashes, Dictionary<(BenchmarkKey Key, string? Machine), string?> branches) : ITrendRuns
{
    public void Read(Action<TrendRun> run) => runs.Read(r =>
    {
        foreach (var record in r.Run.Records)
        {
            if (keyHashes.Contains(record.Key.Hash))
            {
                branches[(record.Key, r.Machine)] = r.Branch;
            }
        }

        run(r);
    });
}
