namespace BenchGate.Bisect;

/// <summary>
/// Where a bisection measures: builds commits and runs their benchmarks. The workflow's lab uses git worktrees, the
/// build command and llama-bench; a simulation draws values from a noise model.
/// </summary>
public interface IBisectLab
{
    /// <summary>Builds a commit (or finds its build); null when it built, else why not (the commit is skipped).</summary>
    string? Build(string commit);

    /// <summary>
    /// One round: the good end, <paramref name="probe"/> (null: the ends only) and the bad end, one after the other. Each
    /// benchmark the runs measured, by its title, with the round's values (for an ends round the probe's is the bad end's).
    /// </summary>
    IReadOnlyDictionary<string, ProbeRound> Round(string? probe, int round);
}

/// <summary>Verdicts kept from an earlier bisection of the same range and settings: a second bisect costs nothing.</summary>
public interface IBisectCache
{
    /// <summary>The chosen benchmark and the change between the ends, or null.</summary>
    (string Benchmark, ProbeVerdict Change)? Ends();

    void SaveEnds(string benchmark, ProbeVerdict change);

    ProbeVerdict? Probe(string commit);

    void SaveProbe(string commit, ProbeVerdict verdict);
}

/// <summary>No cache: every verdict is measured.</summary>
public sealed class NoBisectCache : IBisectCache
{
    public static readonly NoBisectCache Instance = new();

    private NoBisectCache()
    {
    }

    public (string Benchmark, ProbeVerdict Change)? Ends() => null;

    public void SaveEnds(string benchmark, ProbeVerdict change)
    {
    }

    public ProbeVerdict? Probe(string commit) => null;

    public void SaveProbe(string commit, ProbeVerdict verdict)
    {
    }
}
