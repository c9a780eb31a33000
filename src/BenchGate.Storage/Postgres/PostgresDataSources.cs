using System.Collections.Concurrent;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>One Npgsql data source, and so one connection pool, per database for the process; closed when it exits.</summary>
internal static class PostgresDataSources
{
    private static readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> Sources = new(StringComparer.Ordinal);

    // Idle pooled connections are ended with a Terminate message at exit: dropped, they are errors in the server's log.
    static PostgresDataSources() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var source in Sources.Values.Where(s => s.IsValueCreated))
        {
            source.Value.Dispose();
        }
    };

    /// <summary>A connection, not yet open, from the pool of <paramref name="location"/>.</summary>
    public static NpgsqlConnection CreateConnection(PostgresLocation location) =>
        Sources.GetOrAdd(location.ConnectionString, static cs => new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(cs)
            // BenchGate's tables use built-in types only, which Npgsql knows without asking: loading every type of the
            // catalog was a query of ~15 ms on each command's first connection.
            .ConfigureTypeLoading(t => t.EnableTypeLoading(false))
            .Build())).Value.CreateConnection();
}
