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
    private const int FlushRows = 5000;
    private const int FlushRuns = 1000;
    private readonly PostgresResultStore _store;
    private readonly NpgsqlConnection _c;
    private readonly NpgsqlTransaction _tx;
    private readonly TimeProvider _clock;
    private readonly PostgresKeys _keys;
    private readonly List<(long RunSeq, int Seq, BenchmarkRecord Record)> _pending = [];
    private readonly List<PendingRun> _pendingRuns = [];
    private readonly Queue<long> _runSeqs = new();
    private readonly SampleJson _json = new();
    private PendingRun? _run;
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
        Flush();
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
        _pendingRuns.Clear();
        _run = null;
        _tx.Rollback(Savepoint);
        _tx.Release(Savepoint);
    });

    public long AddSource(string name, string format) => Guard(() =>
        (long)Command("INSERT INTO benchgate_sources (name, format, ingested_at) VALUES (@n, @f, @at) RETURNING source_id", ("n", name), ("f", format), ("at", Now())).ExecuteScalar()!);

    public void CompleteSource(long sourceId, SourceDescriptor source, int recordCount) => Guard(() =>
    {
        Flush();
        using var cmd = Command("UPDATE benchgate_sources SET sha256 = @sha, size_bytes = @size, record_count = @n WHERE source_id = @id",
            ("sha", source.Sha256), ("size", source.SizeBytes), ("n", (long)recordCount), ("id", sourceId));
        cmd.ExecuteNonQuery();
        _tx.Release(Savepoint);
    });

    public string NewRunId() => Guard(() =>
    {
        Flush();
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
        if (_pendingRuns.Any(r => r.RunId == runId))
        {
            throw new IngestException($"run id '{runId}' exists already in the database; choose another --run-id");
        }

        if (_runSeqs.Count == 0)
        {
            Guard(() => ReserveIds("benchgate_runs", "run_seq", 256).ForEach(_runSeqs.Enqueue));
        }

        // The run's row is written with its results at the next flush (a COPY for many runs at once).
        _run = new PendingRun(_runSeqs.Dequeue(), runId, run, Now());
        _pendingRuns.Add(_run);
        return runId;
    }

    public void Add(BenchmarkRecord record)
    {
        var run = _run ?? throw new InvalidOperationException("Add before BeginRun");
        _pending.Add((run.RunSeq, ++run.Rows, record));
        if (_pending.Count >= FlushRows)
        {
            Guard(Flush);
        }
    }

    public void EndRun()
    {
        if (_run is { Written: true } written)
        {
            // Flushed while still open: its row holds the count of that moment.
            Guard(() =>
            {
                using var cmd = Command("UPDATE benchgate_runs SET row_count = @n WHERE run_seq = @seq", ("n", (long)written.Rows), ("seq", written.RunSeq));
                return cmd.ExecuteNonQuery();
            });
        }

        _run = null;
        if (_pendingRuns.Count >= FlushRuns)
        {
            Guard(Flush);
        }
    }

    public void AddBackendOps(IReadOnlyList<BackendOps.BackendOpResult> rows) => Guard(() =>
    {
        _keys.EnsureTable(PostgresSchema.BackendOpsTable);
        PostgresCopy.BackendOps(_c, rows);
    });

    public void Commit() => Guard(() =>
    {
        Flush();
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
        if (_pendingRuns.Count > 0)
        {
            try
            {
                PostgresCopy.Runs(_c, _pendingRuns);
            }
            catch (PostgresException e) when (e.SqlState == "23505")
            {
                var id = _pendingRuns.FirstOrDefault(r => e.Detail?.Contains($"({r.RunId})", StringComparison.Ordinal) == true)?.RunId ?? "?";
                throw new IngestException($"run id '{id}' exists already in the database; choose another --run-id");
            }

            foreach (var r in _pendingRuns)
            {
                r.Written = true;
            }

            _pendingRuns.Clear();
            if (_run is not null)
            {
                // Still open: rows added from now on belong to a run that is already written.
                _pendingRuns.Clear();
            }
        }

        if (_pending.Count == 0)
        {
            return;
        }

        var ids = ReserveIds("benchgate_results", "result_id", _pending.Count);
        var keyIds = _pending.Select(p => _keys.IdOf(p.Record)).ToArray();
        PostgresCopy.Results(_c, _pending, ids, keyIds, _json);
        PostgresCopy.LlamaBenchRows(_c, _pending, ids);
        _pending.Clear();
    }

    private List<long> ReserveIds(string table, string column, int n)
    {
        using var cmd = Command($"SELECT nextval(pg_get_serial_sequence('{table}', '{column}')) FROM generate_series(1, @n)", ("n", n));
        using var r = cmd.ExecuteReader();
        var ids = new List<long>(n);
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
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

    /// <summary>A run not yet written (or written while still receiving rows).</summary>
    internal sealed class PendingRun(long runSeq, string runId, RunDescriptor descriptor, string ingestedAt)
    {
        public long RunSeq { get; } = runSeq;

        public string RunId { get; } = runId;

        public RunDescriptor Descriptor { get; } = descriptor;

        public string IngestedAt { get; } = ingestedAt;

        public int Rows { get; set; }

        public bool Written { get; set; }
    }
}
