using BenchGate.Storage.Postgres;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Storage;

/// <summary>Opens the store a --database value names: a PostgreSQL URL or connection string, else a SQLite file.</summary>
public static class ResultStores
{
    public static bool IsPostgres(string location) => PostgresLocation.IsPostgres(location);

    public static IResultStore Open(string location, bool create = true) =>
        IsPostgres(location) ? PostgresResultStore.Open(location) : SqliteResultStore.Open(location, create);

    /// <summary>How messages name the database: a file as given, a server without its password.</summary>
    public static string Describe(string location) =>
        IsPostgres(location) ? TryDisplay(location) : location;

    /// <summary>Whether the named database exists (a server database always answers for itself).</summary>
    public static bool Exists(string location) => IsPostgres(location) || File.Exists(location);

    private static string TryDisplay(string location)
    {
        try
        {
            return PostgresLocation.Parse(location).Display;
        }
        catch (StoreException)
        {
            return PostgresLocation.Redact(location);
        }
    }
}
