using System.Globalization;
using System.Text;
using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Storage.Sqlite;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>
/// One ingest as one PostgreSQL transaction: readers see a run whole or not at all. Rows are buffered per run
/// and written with binary COPY (a round trip per row would make 8 runners wait on the network). Benchmark keys
/// are a shared dictionary: they are inserted on a second, autocommitted connection, so two writers that meet
/// the same new keys in different orders never deadlock.
/// </summary>
internal sealed class PostgresIngestTransaction : IIngestTransaction, Shared.IAdoTransaction
{
    private const string Savepoint = "benchgate_source";
    private const int FlushRows = 2000;
    private readonly PostgresResultStore _store;
    private readonly NpgsqlConnection _c;
    private readonly NpgsqlTransaction _tx;
    private readonly TimeProvider _clock;
    private readonly PostgresKeys _keys;
    private readonly List<(int Seq, BenchmarkRecord Record)> _pending = [];
    private readonly SampleJson _json = new();
    private long _runSeq;
    private int _runRows;
    private bool _committed;

    public PostgresIngestTransaction(PostgresResultStore store, TimeProvider clock)
    {
        _store = store;
        _c = store.Connection;
        _clock = clock;
        _tx = _c.BeginTransaction();
        _keys = new PostgresKeys(store.Target, _c, _tx);
    }

    System.Data.Common.DbConnection Shared.IAdoTransaction.Connection => _c;

    System.Data.Common.DbTransaction Shared.IAdoTransaction.Transaction => _tx;

    public StoredSource? FindSource(string sha256) => Guard(() =>
    {
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
        _pending.Clear();
        _tx.Rollback(Savepoint);
        _tx.Release(Savepoint);
    });

    public long AddSource(string name, string format) => Guard(() =>
        (long)Command("INSERT INTO benchgate_sources (name, format, ingested_at) VALUES (@n, @f, @at) RETURNING source_id", ("n", name), ("f", format), ("at", Now())).ExecuteScalar()!);

    public void CompleteSource(long sourceId, SourceDescriptor source, int recordCount) => Guard(() =>
    {
        using var cmd = Command("UPDATE benchgate_sources SET sha256 = @sha, size_bytes = @size, record_count = @n WHERE source_id = @id",
            ("sha", source.Sha256), ("size", source.SizeBytes), ("n", (long)recordCount), ("id", sourceId));
        cmd.ExecuteNonQuery();
        _tx.Release(Savepoint);
    });

    public string NewRunId() => Guard(() =>
    {
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
        return Guard(() =>
        {
            using (var exists = Command("SELECT 1 FROM benchgate_runs WHERE run_id = @id", ("id", runId)))
            {
                if (exists.ExecuteScalar() is not null)
                {
                    throw new IngestException($"run id '{runId}' exists already in the database; choose another --run-id");
                }
            }

            using var cmd = Command("""
                INSERT INTO benchgate_runs (run_id, source_id, index_in_source, commit_sha, build_commit, build_number, branch, machine, ingested_at)
                VALUES (@id, @src, @idx, @c, @bc, @bn, @br, @m, @at) RETURNING run_seq
                """, ("id", runId), ("src", run.SourceId == 0 ? null : run.SourceId), ("idx", (long)run.IndexInSource), ("c", run.Commit), ("bc", run.BuildCommit),
                ("bn", run.BuildNumber), ("br", run.Branch), ("m", run.Machine), ("at", Now()));
            _runSeq = (long)cmd.ExecuteScalar()!;
            _runRows = 0;
            return runId;
        });
    }

    public void Add(BenchmarkRecord record)
    {
        _pending.Add((++_runRows, record));
        if (_pending.Count >= FlushRows)
        {
            Guard(Flush);
        }
    }

    public void EndRun() => Guard(() =>
    {
        Flush();
        using var cmd = Command("UPDATE benchgate_runs SET row_count = @n WHERE run_seq = @seq", ("n", (long)_runRows), ("seq", _runSeq));
        cmd.ExecuteNonQuery();
    });

    public void AddBackendOps(IReadOnlyList<BackendOps.BackendOpResult> rows) => Guard(() =>
    {
        _keys.EnsureTable(PostgresSchema.BackendOpsTable);
        PostgresCopy.BackendOps(_c, rows);
    });

    public void Commit() => Guard(() =>
    {
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

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var ids = ReserveResultIds(_pending.Count);
        var keyIds = _pending.Select(p => _keys.IdOf(p.Record)).ToArray();
        PostgresCopy.Results(_c, _runSeq, _pending, ids, keyIds, _json);
        PostgresCopy.LlamaBenchRows(_c, _pending, ids);
        _pending.Clear();
    }

    private long[] ReserveResultIds(int n)
    {
        using var cmd = Command("SELECT nextval(pg_get_serial_sequence('benchgate_results', 'result_id')) FROM generate_series(1, @n)", ("n", n));
        using var r = cmd.ExecuteReader();
        var ids = new long[n];
        for (var i = 0; r.Read(); i++)
        {
            ids[i] = r.GetInt64(0);
        }

        return ids;
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

    internal static string? Utf8(ReadOnlySpan<byte> json, bool isNull) => isNull ? null : Encoding.UTF8.GetString(json);
}
