using BenchGate.Detection;

namespace BenchGate.Compare;

/// <summary>A build that has results in an input, as compare-llama-bench.py's <c>SELECT DISTINCT build_commit</c> sees it.</summary>
/// <param name="Commit">The stored build_commit (llama-bench's short hash, or any label such as <c>avx512nat</c>).</param>
/// <param name="NewestTestTime">Its most recent test_time (ISO 8601, so it sorts as text).</param>
/// <param name="BuildNumber">llama-bench's build number, when known.</param>
/// <param name="Rows">How many result rows it has.</param>
public sealed record StoredCommit(string Commit, string NewestTestTime, long? BuildNumber, long Rows);

/// <summary>One <c>-i</c> input of compare: lists its builds cheaply and loads only the runs of the two compared ones.</summary>
public interface ICompareInput
{
    /// <summary>The file, as the user named it.</summary>
    string Name { get; }

    IReadOnlyList<StoredCommit> Commits();

    /// <summary>Whether this input holds results of exactly this stored build_commit (cheaper than listing them all).</summary>
    bool Holds(string commit) => Commits().Any(c => c.Commit == commit);

    /// <summary>The runs of one stored build_commit (exactly as <see cref="Commits"/> gave it).</summary>
    /// <param name="commit">The build.</param>
    /// <param name="comparedWith">
    /// The other side's builds in this input, when known: an input may then leave out rows that cannot match any of
    /// theirs (it must keep every row that can).
    /// </param>
    IReadOnlyList<RunRecords> Runs(string commit, IReadOnlyCollection<string>? comparedWith = null);
}

/// <summary>An input read whole (json, jsonl, csv, md, sql text): its runs are already in memory.</summary>
public sealed class InMemoryCompareInput(string name, IReadOnlyList<RunRecords> runs) : ICompareInput
{
    public string Name => name;

    public IReadOnlyList<StoredCommit> Commits() =>
    [
        .. runs.GroupBy(r => r.Commit ?? "unknown").Select(g => new StoredCommit(
            g.Key,
            g.SelectMany(r => r.Records).Select(r => r.Get("test_time").Text ?? "").DefaultIfEmpty("").Max()!,
            g.SelectMany(r => r.Records).Select(r => r.BuildNumber).Max(),
            g.Sum(r => r.Records.Count))),
    ];

    public IReadOnlyList<RunRecords> Runs(string commit, IReadOnlyCollection<string>? comparedWith = null) => [.. runs.Where(r => (r.Commit ?? "unknown") == commit)];
}
