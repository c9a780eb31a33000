using BenchGate.Detection;
using BenchGate.Storage.Postgres;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Storage;

/// <summary>One side of a comparison from wherever --baseline or --current points: a PostgreSQL store, a SQLite file or any file ingest reads.</summary>
public static class StoredSides
{
    public static ComparisonSide Load(string location, string? commit)
    {
        if (ResultStores.IsPostgres(location))
        {
            using var store = PostgresResultStore.Open(location);
            return PostgresStoredRuns.Read(store, commit);
        }

        return SideLoader.Load(location, new SqliteDatabaseFileReader(), commit, new SqliteStoredRuns());
    }

    /// <summary>detect's history and alerts in this store.</summary>
    public static IDetectionStore DetectionStore(IResultStore store) => store switch
    {
        SqliteResultStore s => new SqliteDetectionStore(s),
        PostgresResultStore p => new PostgresDetectionStore(p),
        _ => throw new ArgumentException($"no detection store for {store.GetType().Name}", nameof(store)),
    };
}
