using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Trend;

namespace BenchGate.Dashboard;

/// <summary>An alert as the dashboard lists it (a row of regression_alerts).</summary>
/// <param name="Id">The alert's id (what <c>benchgate alerts</c> takes).</param>
/// <param name="Status">open, acknowledged, false_positive or fixed.</param>
/// <param name="Benchmark">Its benchmark's title.</param>
/// <param name="KeyHash">Its benchmark's key hash, to link to the chart.</param>
/// <param name="Metric">avg_ts, avg_ns, …</param>
/// <param name="BaselineCommit">Last commit of the old level (or the baseline).</param>
/// <param name="CurrentCommit">First commit of the new level (or the compared build).</param>
/// <param name="ChangePercent">The change.</param>
/// <param name="CiLowPercent">Lower end of its interval.</param>
/// <param name="CiHighPercent">Upper end.</param>
/// <param name="CreatedAt">When it was raised.</param>
/// <param name="Notes">What whoever marked it wrote.</param>
public sealed record DashboardAlert(long Id, string Status, string Benchmark, string KeyHash, string Metric, string? BaselineCommit, string? CurrentCommit,
    double? ChangePercent, double? CiLowPercent, double? CiHighPercent, string CreatedAt, string? Notes);

/// <summary>One memcheck or run finding from memory_leak_logs.</summary>
/// <param name="Commit">The commit measured.</param>
/// <param name="RunId">The BenchGate run it belongs to, when it came from <c>run</c>.</param>
/// <param name="Source">What was measured (llama-bench, a valgrind log…).</param>
/// <param name="Detector">rss, valgrind, asan, …</param>
/// <param name="Kind">ok, leak, growth, excessive, …</param>
/// <param name="PeakMb">Peak resident memory.</param>
/// <param name="LeakedMb">Memory leaked.</param>
/// <param name="CreatedAt">When it was recorded.</param>
/// <param name="Details">The finding in words.</param>
public sealed record MemoryEntry(string? Commit, string? RunId, string Source, string Detector, string Kind, double? PeakMb, double? LeakedMb, string CreatedAt, string? Details)
{
    /// <summary>A finding worth a reader's attention (not a plain peak measurement).</summary>
    public bool IsFinding => Kind != "ok";
}

/// <summary>The saved baseline the charts mark: its name and commit.</summary>
public sealed record DashboardBaseline(string Name, string Commit);

/// <summary>Peak memory of the runs that measured a benchmark at one commit.</summary>
public sealed record MemoryPoint(string Commit, double PeakMb);

/// <summary>
/// One benchmark on one machine and branch: its trend per metric (tokens/s first), the peak memory of its runs, and the
/// page it gets.
/// </summary>
/// <param name="PageId">File name of its page (without .html): stable across runs for the same key, machine and branch.</param>
/// <param name="Key">The benchmark.</param>
/// <param name="Title">Its heading.</param>
/// <param name="Machine">Machine, when known.</param>
/// <param name="Branch">Branch, when known.</param>
/// <param name="Metrics">Its series and change points, one per metric.</param>
/// <param name="Memory">Peak RSS per commit of the runs that measured it, when run recorded one.</param>
public sealed record DashboardBenchmark(string PageId, BenchmarkKey Key, string Title, string? Machine, string? Branch, IReadOnlyList<SeriesTrend> Metrics, IReadOnlyList<MemoryPoint> Memory)
{
    public string Model => Key["model_filename"];

    public string Backend => Key["backends"];

    public string Test => BenchmarkTitle.Test(Key) ?? "?";

    /// <summary>The metric the index shows (tokens/s when measured).</summary>
    public SeriesTrend Primary => Metrics[0];

    /// <summary>The newest change point of the primary metric, if any.</summary>
    public TrendChangePoint? LatestChange => Primary.ChangePoints.Count == 0 ? null : Primary.ChangePoints[^1];
}

/// <summary>Everything one <c>benchgate dashboard</c> writes; every page is rendered from it.</summary>
/// <param name="Generated">When.</param>
/// <param name="Title">The site's title.</param>
/// <param name="Source">The database, as messages name it (never with a password).</param>
/// <param name="Order">How commits were ordered.</param>
/// <param name="Commits">Every commit of any series, in that order.</param>
/// <param name="Benchmarks">Every benchmark, sorted by title, machine and branch.</param>
/// <param name="Alerts">Every alert, newest first.</param>
/// <param name="Memory">Every memory finding and measurement, oldest first.</param>
/// <param name="Baseline">The active saved baseline, when it names a commit.</param>
/// <param name="CommitUrl">A URL with <c>{commit}</c> where the hash goes, to link commits to the forge; null links to the compare page.</param>
/// <param name="ThresholdPercent">The default regression threshold.</param>
/// <param name="Alpha">The charts' intervals are (1 − 2α).</param>
public sealed record DashboardSite(DateTimeOffset Generated, string Title, string Source, string Order, IReadOnlyList<string> Commits,
    IReadOnlyList<DashboardBenchmark> Benchmarks, IReadOnlyList<DashboardAlert> Alerts, IReadOnlyList<MemoryEntry> Memory, DashboardBaseline? Baseline,
    string? CommitUrl, double ThresholdPercent, double Alpha)
{
    private IReadOnlyDictionary<string, int>? _positions;

    /// <summary>Each commit's place in <see cref="Commits"/>.</summary>
    public IReadOnlyDictionary<string, int> CommitPositions =>
        _positions ??= Commits.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);

    /// <summary>The site has nothing to chart.</summary>
    public bool IsEmpty => Benchmarks.Count == 0;

    /// <summary>The forge's page of a commit, or null when no URL template was given.</summary>
    public string? LinkOf(string commit) => CommitUrl?.Replace("{commit}", Uri.EscapeDataString(commit), StringComparison.Ordinal);
}
