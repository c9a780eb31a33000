using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage.Postgres;

/// <summary>A PostgreSQL store as one <c>compare -i</c> input: its builds are llama_bench's build_commit values, as compare-llama-bench.py sees them.</summary>
public sealed class PostgresCompareInput(string location) : ICompareInput
{
    private List<StoredCommit>? _commits;

    public string Name { get; } = ResultStores.Describe(location);

    public IReadOnlyList<StoredCommit> Commits()
    {
        if (_commits is null)
        {
            using var store = PostgresResultStore.Open(location);
            store.RequireSchema();
            _commits = store.Guard(() => AdoStores.Query(store.Connection, null, """
                SELECT COALESCE(build_commit, 'unknown'), MAX(COALESCE(test_time, '')), MAX(build_number), COUNT(*)
                FROM llama_bench WHERE benchgate_result_id IS NOT NULL GROUP BY 1
                """, r => new StoredCommit(r.GetString(0), r.GetString(1), (r.IsDBNull(2) ? null : r.GetInt64(2)), r.GetInt64(3))));
        }

        return _commits;
    }

    // compare asks the same question of the same build several times, from two threads: probe once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _holds = new(StringComparer.Ordinal);

    /// <summary>One probe through the index on build_commit, instead of grouping every row by build to list them.</summary>
    public bool Holds(string commit) => _holds.GetOrAdd(commit, Probe);

    private bool Probe(string commit)
    {
        if (_commits is not null)
        {
            return _commits.Any(c => c.Commit == commit);
        }

        using var store = PostgresResultStore.Open(location);
        store.RequireSchema();
        return store.Guard(() => AdoStores.Scalar(store.Connection, null,
            $"SELECT 1 FROM llama_bench l2 WHERE {OfBuild(commit)} AND l2.benchgate_result_id IS NOT NULL LIMIT 1", ("c", commit)) is not null);
    }

    public IReadOnlyList<RunRecords> Runs(string commit, IReadOnlyCollection<string>? comparedWith = null)
    {
        using var store = PostgresResultStore.Open(location);
        // The fields compare uses, as from a SQLite file: all 40 columns and each row's extras were read and parsed for nothing.
        var runs = store.ReadLookups(c => RunArchive.Read(c, RunArchive.DetectFields, $"""
            WHERE ru.run_seq IN (SELECT r2.run_seq FROM benchgate_results r2 JOIN llama_bench l2 ON l2.benchgate_result_id = r2.result_id WHERE {OfBuild(commit)})
            """, ("c", commit)));
        // A run is one llama-bench invocation of one build; keep only this build's rows all the same.
        return [.. runs.Select(r => r with { Records = [.. r.Records.Where(x => (x.BuildCommit ?? "unknown") == commit)] }).Where(r => r.Records.Count > 0)];
    }

    // build_commit compared bare, so that the index on it (migration 8) finds a build's rows; COALESCE(build_commit, …)
    // read all of llama_bench (1,000,000 rows: ~6 s a build).
    private static string OfBuild(string commit) => commit == "unknown" ? "(l2.build_commit IS NULL OR l2.build_commit = @c)" : "l2.build_commit = @c";
}
