using System.Globalization;
using BenchGate.Model;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// One write transaction (BEGIN IMMEDIATE): migrations, adoption of rows llama-bench wrote directly,
/// and every row of an ingest. Rows go to llama_bench (so compare-llama-bench.py reads them) and their
/// run, key and samples to our tables. Each source runs inside a savepoint so a duplicate can be dropped.
/// </summary>
internal sealed class SqliteIngestTransaction : IIngestTransaction, Shared.IAdoTransaction
{
    private const string Savepoint = "benchgate_source";
    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly TimeProvider _clock;
    private readonly SqliteRowWriter _writer;
    private RawStatement? _beginRun;
    private RawStatement? _endRun;
    private long _runSeq;
    private int _runRows;
    private bool _committed;

    public SqliteIngestTransaction(SqliteConnection connection, TimeProvider clock)
    {
        _c = connection;
        _clock = clock;
        _tx = connection.BeginTransaction(deferred: false);
        (_, Applied, AddedColumns) = SqliteMigrator.Apply(_c, _tx);
        _writer = new SqliteRowWriter(_c, _tx);
    }

    public List<string> Applied { get; }

    public List<string> AddedColumns { get; }

    public SqliteConnection Connection => _c;

    public SqliteTransaction Transaction => _tx;

    System.Data.Common.DbConnection Shared.IAdoTransaction.Connection => _c;

    System.Data.Common.DbTransaction Shared.IAdoTransaction.Transaction => _tx;

    public StoredSource? FindSource(string sha256) => Shared.IngestSources.Find(_c, _tx, sha256);

    public void BeginSource() => _tx.Save(Savepoint);

    public void AbandonSource()
    {
        _tx.Rollback(Savepoint);
        _tx.Release(Savepoint);
        _writer.Reset();
    }

    public long AddSource(string name, string format) => Shared.IngestSources.Add(_c, _tx, name, format, Now());

    public void CompleteSource(long sourceId, SourceDescriptor source, int recordCount)
    {
        Shared.IngestSources.Complete(_c, _tx, sourceId, source, recordCount);
        _tx.Release(Savepoint);
    }

    public string BeginRun(RunDescriptor run)
    {
        var runId = run.RunId ?? NewRunId();
        _beginRun ??= new RawStatement(_c, """
            INSERT INTO benchgate_runs (run_id, source_id, index_in_source, commit_sha, build_commit, build_number, branch, machine, ingested_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_seq
            """);
        var s = _beginRun;
        s.Bind(1, runId);
        s.Bind(2, run.SourceId == 0 ? null : run.SourceId);
        s.Bind(3, run.IndexInSource);
        s.Bind(4, run.Commit);
        s.Bind(5, run.BuildCommit);
        s.Bind(6, run.BuildNumber);
        s.Bind(7, run.Branch);
        s.Bind(8, run.Machine);
        s.Bind(9, Now());
        var rc = s.TryExecute(out _runSeq);
        if (rc == SQLitePCL.raw.SQLITE_CONSTRAINT)
        {
            throw new InputException($"run id '{runId}' exists already in the database; choose another --run-id");
        }

        if (rc != SQLitePCL.raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _c.Handle);
        }

        if (run.PairId is not null)
        {
            using var pair = _c.CreateCommand();
            pair.Transaction = _tx;
            pair.CommandText = "INSERT INTO benchgate_run_pairs (run_seq, pair_id) VALUES ($seq, $pair)";
            pair.Parameters.AddWithValue("$seq", _runSeq);
            pair.Parameters.AddWithValue("$pair", run.PairId);
            pair.ExecuteNonQuery();
        }

        _runRows = 0;
        return runId;
    }

    public void Add(BenchmarkRecord record) => _writer.Insert(_runSeq, ++_runRows, record, adoptFrom: null);

    /// <summary>Takes over a row llama-bench wrote directly into <paramref name="table"/>.</summary>
    public void Adopt(BenchmarkRecord record, string table, long rowId) =>
        _writer.Insert(_runSeq, ++_runRows, record, (table, rowId));

    public void EndRun()
    {
        _endRun ??= new RawStatement(_c, "UPDATE benchgate_runs SET row_count = ? WHERE run_seq = ?");
        _endRun.Bind(1, _runRows);
        _endRun.Bind(2, _runSeq);
        _endRun.Execute();
    }

    public IReadOnlyList<string> RegroupRuns(long sourceId, IReadOnlyList<string> runIds) => Shared.RunRegrouping.Apply(_c, _tx, sourceId, runIds);

    public void AddBackendOps(IReadOnlyList<BenchGate.BackendOps.BackendOpResult> rows) => SqliteBackendOps.Write(_c, _tx, rows);

    public void Commit()
    {
        _tx.Commit();
        _committed = true;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _beginRun?.Dispose();
        _endRun?.Dispose();
        if (!_committed)
        {
            _tx.Rollback();
        }

        _tx.Dispose();
    }

    private string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public string NewRunId() => Shared.IngestSources.NewRunId(_c, _tx, _clock);
}
