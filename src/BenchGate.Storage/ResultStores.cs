using BenchGate.Storage.Postgres;

namespace BenchGate.Storage;

/// <summary>Shorthands for <see cref="StoreLocation"/>: open the store a --database value names, and name it in messages.</summary>
public static class ResultStores
{
    public static IResultStore Open(string location, bool create = true) => StoreLocation.Of(location).Open(create);

    /// <summary>How messages name the database: a file as given, a server without its password.</summary>
    public static string Describe(string location) =>
        PostgresLocation.IsPostgres(location) ? TryDisplay(location) : location;

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
