using System.Globalization;
using BenchGate.Ingest;
using BenchGate.Model;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>
/// One ingest as one PostgreSQL transaction: readers see a run whole or not at all. Runs and rows are buffered
/// and written with binary COPY (<see cref="PostgresRunBuffer"/>). Benchmark keys are a shared dictionary: they
/// are inserted on a second, autocommitted connection, so two writers that meet the same new keys in different
/// orders never deadlock.
/// </summary>
internal sealed class PostgresIngestTransaction : IIngestTransaction, Shared.IAdoTransaction
{
    private const string Savepoint = "benchgate_source";
    private readonly PostgresResultStore _store;
    private readonly NpgsqlConnection _c;
    private readonly NpgsqlTransaction _tx;
    private readonly TimeProvider _clock;
    private readonly PostgresKeys _keys;
    private readonly PostgresRunBuffer _buffer;
    private bool _committed;

    public PostgresIngestTransaction(PostgresResultStore store, TimeProvider clock)
    {
        _store = store;
        _c = store.Connection;
        _clock = clock;
        _tx = _c.BeginTransaction();
        _keys = new PostgresKeys(store.Target, _c, _tx);
        _buffer = new PostgresRunBuffer(_c, _tx, _keys);
    }

    System.Data.Common.DbConnection Shared.IAdoTransaction.Connection => _c;

    System.Data.Common.DbTransaction Shared.IAdoTransaction.Transaction => _tx;

    public StoredSource? FindSource(string sha256) => Guard(() =>
    {
        _buffer.Flush();
        using var cmd = Command("SELECT source_id, name, ingested_at FROM benchgate_sources WHERE sha256 = @sha AND record_count IS NOT NULL ORDER BY source_id LIMIT 1", ("sha", sha256));
        long id;
        string name, at;
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read())
            {
                return null;
            }

            (id, name, at) = (r.GetInt64(0), r.GetString(1), r.GetString(2));
        }

        using var runs = Command("SELECT run_id FROM benchgate_runs WHERE source_id = @id ORDER BY run_seq", ("id", id));
        using var rr = runs.ExecuteReader();
        var ids = new List<string>();
        while (rr.Read())
        {
            ids.Add(rr.GetString(0));
        }

        return new StoredSource(id, name, at, ids);
    });

    public void BeginSource() => Guard(() => _tx.Save(Savepoint));

    public void AbandonSource() => Guard(() =>
    {
        _buffer.Clear();
        _tx.Rollback(Savepoint);
        _tx.Release(Savepoint);
    });

    public long AddSource(string name, string format) => Guard(() =>
        (long)Command("INSERT INTO benchgate_sources (name, format, ingested_at) VALUES (@n, @f, @at) RETURNING source_id", ("n", name), ("f", format), ("at", Now())).ExecuteScalar()!);

    public void CompleteSource(long sourceId, SourceDescriptor source, int recordCount) => Guard(() =>
    {
        _buffer.Flush();
        using var cmd = Command("UPDATE benchgate_sources SET sha256 = @sha, size_bytes = @size, record_count = @n WHERE source_id = @id",
            ("sha", source.Sha256), ("size", source.SizeBytes), ("n", (long)recordCount), ("id", sourceId));
        cmd.ExecuteNonQuery();
        _tx.Release(Savepoint);
    });

    public string NewRunId() => Guard(() =>
    {
        _buffer.Flush();
        while (true)
        {
            var id = _clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
            using var exists = Command("SELECT 1 FROM benchgate_runs WHERE run_id = @id OR run_id LIKE @prefix LIMIT 1", ("id", id), ("prefix", id + ".%"));
            if (exists.ExecuteScalar() is null)
            {
                return id;
            }
        }
    });

    public string BeginRun(RunDescriptor run)
    {
        var runId = run.RunId ?? NewRunId();
        Guard(() => _buffer.Begin(runId, run, Now()));
        return runId;
    }

    public void Add(BenchmarkRecord record) => Guard(() => _buffer.Add(record));

    public void EndRun() => Guard(_buffer.End);

    public void AddBackendOps(IReadOnlyList<BackendOps.BackendOpResult> rows) => Guard(() =>
    {
        _keys.EnsureTable(PostgresSchema.BackendOpsTable);
        PostgresCopy.BackendOps(_c, rows);
    });

    public void Commit() => Guard(() =>
    {
        _buffer.Flush();
        _tx.Commit();
        _committed = true;
    });

    public void Dispose()
    {
        if (!_committed)
        {
            try
            {
                _tx.Rollback();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone or the transaction already ended: the server rolls it back itself.
            }
        }

        _tx.Dispose();
        _keys.Dispose();
    }

    private NpgsqlCommand Command(string sql, params (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, _c, _tx);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    private string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private T Guard<T>(Func<T> action) => _store.Guard(action);

    private void Guard(Action action) => _store.Guard(() =>
    {
        action();
        return 0;
    });
}
