using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>
/// Groups records read whole (compare's inputs, detect's files) into runs, where <see cref="RunSplitter"/> streams
/// them into one open run at a time. A run never holds a key twice and has one build; a record joins the newest run
/// of its build that lacks its key, and opens a new run only when every run of its build holds it. So there are as
/// many runs as the most repeated key has rows: a database that stores each configuration's runs together (A A A B B B)
/// gives 3 runs, not one per row (the streaming rule split 60,000 such rows into 40,001 runs). Appended whole
/// invocations (A B C A B C) give the same runs under both rules. Each row stays one run value of its key either way.
/// </summary>
public sealed class RunAssigner
{
    private readonly List<HashSet<BenchmarkKey>> _buildRuns = [];
    private readonly Dictionary<BenchmarkKey, int> _occurrences = [];
    private int _firstOfBuild;
    private string? _build;
    private bool _started;

    /// <summary>How many runs have been opened.</summary>
    public int RunCount => _firstOfBuild + _buildRuns.Count;

    /// <summary>The 0-based run <paramref name="record"/> belongs to (runs are numbered in the order they open).</summary>
    public int RunOf(BenchmarkRecord record)
    {
        if (!_started || record.BuildCommit != _build)
        {
            // A new build closes the runs of the one before: its rows never join them.
            _firstOfBuild += _buildRuns.Count;
            _buildRuns.Clear();
            _occurrences.Clear();
            _build = record.BuildCommit;
            _started = true;
        }

        var seen = _occurrences.GetValueOrDefault(record.Key);
        _occurrences[record.Key] = seen + 1;
        // Every run of the build holds the key: none can take it (checked first, so a key repeated in every row costs O(1)).
        if (seen < _buildRuns.Count)
        {
            for (var i = _buildRuns.Count - 1; i >= 0; i--)
            {
                if (_buildRuns[i].Add(record.Key))
                {
                    return _firstOfBuild + i;
                }
            }
        }

        _buildRuns.Add([record.Key]);
        return _firstOfBuild + _buildRuns.Count - 1;
    }
}
