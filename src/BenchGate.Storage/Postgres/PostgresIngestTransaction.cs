using System.Globalization;
using BenchGate.Model;
using BenchGate.Storage.Shared;
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
        // Two runners ingesting the same file at once would each find nothing and both store it: the first to get here
        // holds the lock until it commits, and the second then finds its source (read committed). One lock for every
        // content, not one each: two ingests of the same files in another order would otherwise deadlock. Writers
        // serialise only from here (the end of their reading and writing) to their commit.
        using (var lockCmd = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", _c, _tx))
        {
            lockCmd.Parameters.AddWithValue("k", SourceLock);
            lockCmd.ExecuteNonQuery();
        }

        return IngestSources.Find(_c, _tx, sha256);
    });

    public StoredSource? PeekSource(string sha256) => Guard(() =>
    {
        _buffer.Flush();
        return IngestSources.Find(_c, _tx, sha256);
    });

    /// <summary>The advisory lock of the duplicate check ("BGsource").</summary>
    private const long SourceLock = 0x4247736f75726365;

    public void BeginSource() => Guard(() => _tx.Save(Savepoint));

    public void AbandonSource() => Guard(() =>
    {
        _buffer.Clear();
        _tx.Rollback(Savepoint);
        _tx.Release(Savepoint);
    });

    public long AddSource(string name, string format) => Guard(() => IngestSources.Add(_c, _tx, name, format, Now()));

    public void CompleteSource(long sourceId, SourceDescriptor source, int recordCount) => Guard(() =>
    {
        _buffer.Flush();
        IngestSources.Complete(_c, _tx, sourceId, source, recordCount);
        _tx.Release(Savepoint);
    });

    public IReadOnlyList<string> RegroupRuns(long sourceId, IReadOnlyList<string> runIds) => Guard(() =>
    {
        _buffer.Flush();
        var regrouped = RunRegrouping.Apply(_c, _tx, sourceId, runIds);
        _buffer.ForgetReservedRunNumbers();
        return regrouped;
    });

    public string NewRunId() => Guard(() =>
    {
        _buffer.Flush();
        return IngestSources.NewRunId(_c, _tx, _clock);
    });

    public string BeginRun(RunDescriptor run)
    {
        var runId = run.RunId ?? NewRunId();
        Guard(() => _buffer.Begin(runId, run, Now()));
        return runId;
    }

    public void Add(BenchmarkRecord record) => Guard(() => _buffer.Add(record));

    // Each flush waits for the server to take a batch: with a batch read ahead meanwhile, reading and the server's work
    // overlap instead of taking turns (300,000 rows: 8.5 -> 7.3 s, bench/RESULTS.md).
    public int RecordsInFlight => PostgresRunBuffer.FlushRows;

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

            // The keys this ingest added (committed at once on their own connection) go with it, unless another
            // writer's results use them by now.
            _keys.RemoveUnusedCreated();
        }

        _tx.Dispose();
        _keys.Dispose();
    }

    private string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private T Guard<T>(Func<T> action) => _store.Guard(action);

    private void Guard(Action action) => _store.Guard(() =>
    {
        action();
        return 0;
    });
}
