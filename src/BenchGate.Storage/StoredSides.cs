using BenchGate.Detection;
using BenchGate.Storage.Postgres;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Storage;

/// <summary>One side of a comparison from wherever --baseline or --current points: a PostgreSQL store, a SQLite file or any file ingest reads.</summary>
public static class StoredSides
{
    /// <param name="location">--baseline or --current.</param>
    /// <param name="commit">Only this commit's runs (a prefix), or all.</param>
    /// <param name="open">
    /// The store of <paramref name="location"/> when the caller holds it open and uses it for nothing else meanwhile:
    /// PostgreSQL is then read through its connection rather than a new one (a server process each).
    /// </param>
    public static ComparisonSide Load(string location, string? commit, IResultStore? open = null)
    {
        if (StoreLocation.Of(location).IsPostgres)
        {
            if (open is PostgresResultStore held)
            {
                return PostgresStoredRuns.Read(held, commit);
            }

            using var store = PostgresResultStore.Open(location);
            return PostgresStoredRuns.Read(store, commit);
        }

        return InputFiles.LoadSide(location, commit, stored: true);
    }

    /// <summary>
    /// As <see cref="Load"/>, but each record whole (every llama_bench column, extras, samples): what a copy into another
    /// database needs, where detect needs only the measurements.
    /// </summary>
    public static ComparisonSide LoadComplete(string location, string? commit)
    {
        if (StoreLocation.Of(location).IsPostgres)
        {
            using var store = PostgresResultStore.Open(location);
            store.RequireSchema();
            var runs = store.Guard(() => Shared.RunArchive.Read(store.Connection, Model.LlamaBenchSchema.Fields, Shared.RunArchive.CommitFilter, ("c", commit)));
            return runs.Count == 0
                ? throw new InputException(commit is null ? "holds no benchmark record" : $"no runs of commit '{commit}'", input: store.Location)
                : new ComparisonSide(commit is null ? store.Location : $"{commit} ({store.Location})", runs);
        }

        return File.Exists(location) && SqliteStoredRuns.TryReadComplete(location, commit) is { } side
            ? side
            : InputFiles.LoadSide(location, commit);
    }

    /// <summary>detect's history and alerts in this store.</summary>
    public static IDetectionStore DetectionStore(IResultStore store) => Shared.AdoStores.Of(store).Detection();
}
