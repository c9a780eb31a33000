using System.Net.Sockets;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>
/// The shared store for many CI runners: the same tables, migrations and behaviour as the SQLite file, in one
/// PostgreSQL database. Each ingest is one transaction, so concurrent writers never see each other's half runs.
/// </summary>
public sealed class PostgresResultStore : IResultStore, Shared.IAdoStore
{
    private readonly NpgsqlConnection _c;
    private readonly TimeProvider _clock;
    private bool _migrated;

    private PostgresResultStore(PostgresLocation location, NpgsqlConnection c, TimeProvider clock)
    {
        Target = location;
        _c = c;
        _clock = clock;
    }

    public PostgresLocation Target { get; }

    public string Location => Target.Display;

    internal NpgsqlConnection Connection => _c;

    System.Data.Common.DbConnection Shared.IAdoStore.Connection => _c;

    bool Shared.IAdoStore.IsPostgres => true;

    IIngestTransaction Shared.IAdoStore.BeginCopy() => BeginIngest();

    Detection.IDetectionStore Shared.IAdoStore.Detection() => new PostgresDetectionStore(this);

    bool Shared.IAdoStore.TryExportBaseline(BaselineInfo baseline, string outputPath) => false;

    public static PostgresResultStore Open(string value, TimeProvider? clock = null) => Open(PostgresLocation.Parse(value), clock);

    public static PostgresResultStore Open(PostgresLocation location, TimeProvider? clock = null)
    {
        var c = Connect(location);
        return new PostgresResultStore(location, c, clock ?? TimeProvider.System);
    }

    /// <summary>An open connection, or a <see cref="StoreException"/> that says why not (never with the password).</summary>
    internal static NpgsqlConnection Connect(PostgresLocation location)
    {
        var c = PostgresDataSources.CreateConnection(location);
        try
        {
            c.Open();
            return c;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or SocketException or InvalidOperationException)
        {
            c.Dispose();
            throw Translate(location, e);
        }
    }

    public IIngestTransaction BeginIngest() => Guard(() =>
    {
        EnsureMigrated();
        return (IIngestTransaction)new PostgresIngestTransaction(this, _clock);
    });

    public MigrationReport Migrate() => Guard(() =>
    {
        var (before, applied, added) = PostgresMigrator.Apply(_c);
        _migrated = true;
        return new MigrationReport(before, PostgresMigrator.CurrentVersion(_c, null), applied, added, 0, 0);
    });

    /// <summary>For commands that only read: a database BenchGate never wrote to is not migrated, it holds nothing.</summary>
    public void RequireSchema()
    {
        if (Guard(() => PostgresMigrator.CurrentVersion(_c, null)) == 0)
        {
            throw new InputException("holds no BenchGate data yet (write to it with ingest, run or migrate)", input: Location);
        }
    }

    public void EnsureMigrated()
    {
        if (!_migrated)
        {
            Migrate();
        }
    }

    /// <summary>The migration as a plain SQL script for this database as it is now.</summary>
    public string MigrationScript() => Guard(() => PostgresMigrator.ToScript(PostgresMigrator.Plan(_c, null, out _), Location));

    /// <summary>The migration as a plain SQL script for an empty PostgreSQL database.</summary>
    public static string EmptyDatabaseMigrationScript() => PostgresMigrator.EmptyDatabaseScript();

    public StoreSummary Summarize() => Guard(() => PostgresSummary.Read(this));

    public void Dispose() => _c.Dispose();

    /// <summary>
    /// Reads of a few thousand rows through indexes (a side of detect or compare) in one transaction without parallel
    /// workers: starting one for such a query took ~13 ms for 2.4 ms of lookups (bench/RESULTS.md). SET LOCAL ends with
    /// the transaction, so nothing outlives it on a pooled connection or a pooler's (PgBouncer) shared one.
    /// </summary>
    internal T ReadLookups<T>(Func<NpgsqlConnection, T> read) => Guard(() =>
    {
        using var tx = _c.BeginTransaction();
        using (var serial = new NpgsqlCommand("SET LOCAL max_parallel_workers_per_gather = 0", _c, tx))
        {
            serial.ExecuteNonQuery();
        }

        var result = read(_c);
        tx.Commit();
        return result;
    });

    public T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Translate(Target, e);
        }
    }

    internal static StoreException Translate(PostgresLocation at, Exception e)
    {
        var where = at.Display;
        var message = e switch
        {
            PostgresException { SqlState: "28P01" } => $"authentication failed for user '{at.Builder.Username}' (wrong password)",
            PostgresException { SqlState: "28000" } p => $"access refused: {p.MessageText}",
            PostgresException { SqlState: "3D000" } p => $"{p.MessageText}; create it first (createdb) or name another database",
            PostgresException { SqlState: "42501" } p => $"permission denied: {p.MessageText}; the user needs CREATE on the schema to migrate, and INSERT/SELECT on BenchGate's tables",
            PostgresException { SqlState: "57P03" or "53300" } p => $"the server cannot accept the connection now: {p.MessageText}",
            PostgresException { SqlState: "40P01" } => "deadlock with another writer; the transaction was rolled back, run the command again",
            PostgresException p => p.MessageText + (p.Detail is { Length: > 0 } d ? $" ({d})" : ""),
            NpgsqlException { InnerException: SocketException s } => $"cannot connect to the PostgreSQL server ({s.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused: is it running and listening on this port?",
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "unknown host",
                _ => s.Message,
            }})",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => $"no answer from the server within {at.Builder.Timeout} s",
            NpgsqlException n when n.Message.Contains("unknown response", StringComparison.OrdinalIgnoreCase) => $"whatever answers at {at.Builder.Host}:{at.Builder.Port} is not a PostgreSQL server ({n.Message})",
            NpgsqlException n when n.Message.Contains("password", StringComparison.OrdinalIgnoreCase) => $"authentication failed for user '{at.Builder.Username}': {n.Message}",
            _ => e.Message,
        };
        return new StoreException($"{where}: {Scrub(message, at)}", e);
    }

    /// <summary>Belt and braces: no message leaves with the password in it.</summary>
    private static string Scrub(string message, PostgresLocation at) =>
        at.Builder.Password is { Length: > 0 } p ? message.Replace(p, "***", StringComparison.Ordinal) : message;
}
