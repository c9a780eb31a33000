namespace BenchGate.Workflows.Bisect;

/// <summary>What bisect (or bisect-step) was asked.</summary>
/// <param name="Good">The last commit known good (null with an alert, which names it).</param>
/// <param name="Bad">The first commit known bad (for bisect-step: the commit under test is HEAD of the repository).</param>
/// <param name="Bench">llama-bench, relative to a commit's worktree (build/bin/llama-bench).</param>
/// <param name="BuildCommand">Run by sh in the commit's worktree, with $BENCHGATE_COMMIT set.</param>
/// <param name="Benchmark">Wildcard on the benchmark's title, or null: the benchmark whose change is clearest.</param>
/// <param name="AlertId">A stored alert to start from: its commits, benchmark and metric.</param>
/// <param name="Repository">The git repository (llama.cpp's checkout).</param>
/// <param name="Database">Where the runs and the verdicts are stored.</param>
/// <param name="MaxRuns">Most rounds per probed commit (each: good, probe, bad).</param>
/// <param name="Confidence">Each decision's confidence.</param>
/// <param name="RunTimeout">Before a llama-bench run is killed.</param>
/// <param name="BuildTimeout">Before a build is killed (the commit is then skipped).</param>
/// <param name="Machine">The machine the runs are stored under.</param>
/// <param name="Output">The markdown report's file.</param>
/// <param name="JsonOutput">The JSON report's file.</param>
/// <param name="Args">llama-bench's arguments.</param>
/// <param name="WorkDirectory">Where the worktrees and build logs go (default: benchgate-bisect in the repository's .git).</param>
public sealed record BisectRequest(
    string? Good, string? Bad, string Repository, string BuildCommand, string Bench, string Database, string? Benchmark, long? AlertId,
    int MaxRuns, double Confidence, string? WorkDirectory, TimeSpan RunTimeout, TimeSpan BuildTimeout, string? Machine,
    string? Output, string? JsonOutput, IReadOnlyList<string> Args);
