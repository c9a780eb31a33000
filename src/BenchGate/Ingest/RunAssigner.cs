using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>
/// Groups records by repetition: the k-th row of each key of a build goes into that build's k-th run, so a build has as
/// many runs as its most repeated key has rows, whatever order the rows come in. <see cref="RunSplitter"/>'s streaming
/// rule splits rows stored configuration by configuration (a: A A A, b: A A A, a: B B B, …) into a run a row (60,000
/// such rows gave 40,001 runs); this rule gives 3 a build. For appended whole invocations both rules agree.
/// </summary>
public sealed class RunAssigner
{
    private readonly Dictionary<string, BuildRuns> _builds = new(StringComparer.Ordinal);
    private BuildRuns? _unknownBuild;

    /// <summary>
    /// Whether rows split into <paramref name="splitRuns"/> runs as ingest streams them (<see cref="RunSplitter"/>) are
    /// better grouped by repetition into <paramref name="repetitionRuns"/>: when the split gives over half again as many.
    /// Appended invocations give the same runs either way (a test that failed in one may add one run); rows stored
    /// configuration by configuration give K(R−1)+1 runs for K configurations of R repetitions, against R.
    /// </summary>
    public static bool Regroups(int splitRuns, int repetitionRuns) => 2L * splitRuns > 3L * repetitionRuns;

    /// <summary>How many (build, benchmark) pairs it counts: its memory.</summary>
    public int Tracked { get; private set; }

    /// <summary>How many runs have been opened.</summary>
    public int RunCount { get; private set; }

    /// <summary>The 0-based run <paramref name="record"/> belongs to (runs are numbered in the order they open).</summary>
    public int RunOf(BenchmarkRecord record)
    {
        BuildRuns? build;
        if (record.BuildCommit is not { } commit)
        {
            build = _unknownBuild ??= new BuildRuns();
        }
        else if (!_builds.TryGetValue(commit, out build))
        {
            _builds[commit] = build = new BuildRuns();
        }

        var repetition = build.Occurrences.GetValueOrDefault(record.Key);
        Tracked += repetition == 0 ? 1 : 0;
        build.Occurrences[record.Key] = repetition + 1;
        if (repetition == build.Runs.Count)
        {
            build.Runs.Add(RunCount++);
        }

        return build.Runs[repetition];
    }

    private sealed class BuildRuns
    {
        public List<int> Runs { get; } = [];

        public Dictionary<BenchmarkKey, int> Occurrences { get; } = [];
    }
}
