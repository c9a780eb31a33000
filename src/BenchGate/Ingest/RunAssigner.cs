using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>
/// Groups records read whole (compare's inputs, detect's files) into runs, where <see cref="RunSplitter"/> streams
/// them into one open run at a time. A run never holds a key twice and has one build; a record joins the newest run
/// of its build that lacks its key, and opens a new run only when every run of its build holds it. So a build has as
/// many runs as its most repeated key has rows: a database that stores each configuration's runs together, even with
/// two builds' rows alternating (a: A A A, b: A A A, a: B B B, …), gives 3 runs a build, not one per row (the streaming
/// rule split 60,000 such rows into 40,001 runs). Appended whole invocations (A B C A B C) give the same runs under
/// both rules. Each row stays one run value of its key either way.
/// </summary>
public sealed class RunAssigner
{
    private readonly Dictionary<string, BuildRuns> _builds = new(StringComparer.Ordinal);

    /// <summary>How many runs have been opened.</summary>
    public int RunCount { get; private set; }

    /// <summary>The 0-based run <paramref name="record"/> belongs to (runs are numbered in the order they open).</summary>
    public int RunOf(BenchmarkRecord record)
    {
        var buildKey = record.BuildCommit ?? "";
        if (!_builds.TryGetValue(buildKey, out var build))
        {
            _builds[buildKey] = build = new BuildRuns();
        }

        var seen = build.Occurrences.GetValueOrDefault(record.Key);
        build.Occurrences[record.Key] = seen + 1;
        // Every run of the build holds the key: none can take it (checked first, so a key repeated in every row costs O(1)).
        if (seen < build.Runs.Count)
        {
            for (var i = build.Runs.Count - 1; i >= 0; i--)
            {
                if (build.Runs[i].Keys.Add(record.Key))
                {
                    return build.Runs[i].Number;
                }
            }
        }

        build.Runs.Add((RunCount, [record.Key]));
        return RunCount++;
    }

    private sealed class BuildRuns
    {
        public List<(int Number, HashSet<BenchmarkKey> Keys)> Runs { get; } = [];

        public Dictionary<BenchmarkKey, int> Occurrences { get; } = [];
    }
}
