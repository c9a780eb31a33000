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

    public StoredSource? FindSource(string sha256)
    {
        using var cmd = Command("SELECT source_id, name, ingested_at FROM benchgate_sources WHERE sha256 = $sha AND record_count IS NOT NULL ORDER BY source_id LIMIT 1");
        cmd.Parameters.AddWithValue("$sha", sha256);
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var id = r.GetInt64(0);
        var (name, at) = (r.GetString(1), r.GetString(2));
        using var runs = Command("SELECT run_id FROM benchgate_runs WHERE source_id = $id ORDER BY run_seq");
        runs.Parameters.AddWithValue("$id", id);
        using var rr = runs.ExecuteReader();
        var ids = new List<string>();
        while (rr.Read())
        {
            ids.Add(rr.GetString(0));
        }

        return new StoredSource(id, name, at, ids);
    }

    public void BeginSource() => _tx.Save(Savepoint);

    public void AbandonSource()
    {
        _tx.Rollback(Savepoint);
        _tx.Release(Savepoint);
        _writer.Reset();
    }

    public long AddSource(string name, string format)
    {
        using var cmd = Command("INSERT INTO benchgate_sources (name, format, ingested_at) VALUES ($n, $f, $at) RETURNING source_id");
        cmd.Parameters.AddWithValue("$n", name);
        cmd.Parameters.AddWithValue("$f", format);
        cmd.Parameters.AddWithValue("$at", Now());
        return (long)cmd.ExecuteScalar()!;
    }

    public void CompleteSource(long sourceId, SourceDescriptor source, int recordCount)
    {
        using var cmd = Command("UPDATE benchgate_sources SET sha256 = $sha, size_bytes = $size, record_count = $n WHERE source_id = $id");
        cmd.Parameters.AddWithValue("$sha", source.Sha256);
        cmd.Parameters.AddWithValue("$size", source.SizeBytes);
        cmd.Parameters.AddWithValue("$n", recordCount);
        cmd.Parameters.AddWithValue("$id", sourceId);
        cmd.ExecuteNonQuery();
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
            throw new Ingest.IngestException($"run id '{runId}' exists already in the database; choose another --run-id");
        }

        if (rc != SQLitePCL.raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _c.Handle);
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

    private SqliteCommand Command(string sql)
    {
        var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        return cmd;
    }

    private string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public string NewRunId()
    {
        while (true)
        {
            var id = _clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
            using var exists = Command("SELECT 1 FROM benchgate_runs WHERE run_id = $id OR run_id LIKE $prefix LIMIT 1");
            exists.Parameters.AddWithValue("$id", id);
            exists.Parameters.AddWithValue("$prefix", id + ".%");
            if (exists.ExecuteScalar() is null)
            {
                return id;
            }
        }
    }
}
