using BenchGate.Detection;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage.Postgres;

/// <summary>
/// Reads the runs of a PostgreSQL store for detect: the llama_bench columns detect uses, with the stored key,
/// run id and samples. Runs come in the order they were stored, each whole (readers only see committed runs).
/// </summary>
public static class PostgresStoredRuns
{
    /// <summary>The runs whose commit or build_commit matches <paramref name="commit"/> (a prefix either way), or all.</summary>
    public static ComparisonSide Read(PostgresResultStore store, string? commit)
    {
        store.RequireSchema();
        var runs = store.ReadLookups(c => RunArchive.Read(c, RunArchive.DetectFields, RunArchive.CommitFilter, ("c", commit)));
        if (runs.Count == 0)
        {
            throw new InputException(commit is null ? "holds no benchmark record" : HeldCommits.NoRunsOf(commit, store.Guard(() => RunArchive.HeldCommits(store.Connection))), input: store.Location);
        }

        return new ComparisonSide(commit is null ? store.Location : $"{commit} ({store.Location})", runs);
    }
}
