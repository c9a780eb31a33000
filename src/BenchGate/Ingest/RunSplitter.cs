using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>
/// Finds where one llama-bench invocation ends and the next begins in a stream of records. Files and
/// databases often hold several runs appended (aa.jsonl: 10 runs; llama-bench -o sql | sqlite3 db, run
/// after run), and test_time cannot tell them apart (1-second resolution). One invocation never
/// repeats a benchmark key and has one build, so a repeated key or a new build_commit starts a run.
/// Rows stored configuration by configuration (A A A B B B) make a run of nearly every row under this rule; they are
/// then grouped by <see cref="RunAssigner"/>'s rule instead (<see cref="RunAssigner.Regroups"/>): by inputs read whole
/// (ComparisonSide.FromRecords), and by ingest at the end of such a source, in the store.
/// </summary>
public sealed class RunSplitter
{
    private readonly HashSet<BenchmarkKey> _keysInRun = [];
    private string? _buildCommit;

    /// <summary>True when <paramref name="record"/> cannot belong to the run seen so far.</summary>
    public bool StartsNewRun(BenchmarkRecord record)
    {
        var first = _keysInRun.Count == 0;
        var newRun = !first && (!_keysInRun.Add(record.Key) || record.BuildCommit != _buildCommit);
        if (newRun)
        {
            _keysInRun.Clear();
            _keysInRun.Add(record.Key);
        }
        else if (first)
        {
            _keysInRun.Add(record.Key);
        }

        _buildCommit = record.BuildCommit;
        return first || newRun;
    }
}
