using BenchGate.Detection;
using BenchGate.Storage.Postgres;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Storage;

/// <summary>One side of a comparison from wherever --baseline or --current points: a PostgreSQL store, a SQLite file or any file ingest reads.</summary>
public static class StoredSides
{
    public static ComparisonSide Load(string location, string? commit)
    {
        if (StoreLocation.Of(location).IsPostgres)
        {
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
