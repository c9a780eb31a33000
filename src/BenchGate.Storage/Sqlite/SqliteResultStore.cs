using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file, readable by llama.cpp's compare-llama-bench.py.
/// A failed write leaves the file byte-identical (one transaction; a file this store created is removed).
/// </summary>
public sealed class SqliteResultStore : IResultStore, Shared.IAdoStore
{
    private readonly SqliteConnection _c;
    private readonly bool _existed;
    private readonly TimeProvider _clock;
    private bool _wal;

    private SqliteResultStore(string path, SqliteConnection connection, bool existed, TimeProvider clock)
    {
        Location = path;
        _c = connection;
        _existed = existed;
        _clock = clock;
    }

    public string Location { get; }

    internal SqliteConnection Connection => _c;

    System.Data.Common.DbConnection Shared.IAdoStore.Connection => _c;

    bool Shared.IAdoStore.IsPostgres => false;

    void Shared.IAdoStore.EnsureMigrated() => Migrate();

    T Shared.IAdoStore.Guard<T>(Func<T> action) => Guard(action);

    /// <summary>
    /// How long a writer waits for another (parallel CI jobs on one file). A minute, not seconds: on a loaded runner eight
    /// writers each storing for a moment queue longer than 10 s, and failing a benchmark for a lock is worse than waiting.
    /// </summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Opens (creating when <paramref name="create"/>) the database at <paramref name="path"/>.</summary>
    public static SqliteResultStore Open(string path, bool create = true, TimeProvider? clock = null, TimeSpan? busyTimeout = null)
    {
        // SQLite would open these as a database in memory: a results database that vanishes when benchgate exits.
        if (path.Trim() == ":memory:" || path.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || path.Trim().Length == 0)
        {
            throw new StoreException($"'{path}': not a database file (a SQLite file path, or postgres://…): an in-memory or URI database would keep nothing");
        }

        var existed = File.Exists(path);
        if (!existed && !create)
        {
            throw new StoreException($"{path}: no such database");
        }

        if (Directory.Exists(path))
        {
            throw new StoreException($"{path}: is a directory, not a database");
        }

        // Microsoft.Data.Sqlite retries a busy database for the command timeout, so that is the wait.
        var wait = busyTimeout ?? DefaultBusyTimeout;
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)),
        }.ToString();
        var c = new SqliteConnection(cs);
        try
        {
            c.Open();
            // Concurrent writers (parallel CI jobs) wait for each other instead of failing at once.
            Execute(c, $"PRAGMA busy_timeout = {(int)wait.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;");

            using var probe = c.CreateCommand();
            probe.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            var tables = new List<string>();
            using (var r = probe.ExecuteReader())
            {
                while (r.Read())
                {
                    tables.Add(r.GetString(0));
                }
            }

            // Writing BenchGate's schema into someone else's database would change it for nothing: refuse first.
            if (tables.Count > 0 && !tables.Any(IsOurs))
            {
                c.Dispose();
                throw new StoreException($"{path}: not a BenchGate or llama-bench database (it holds {string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", …" : "")}); nothing was changed");
            }
        }
        catch (SqliteException e)
        {
            c.Dispose();
            if (!existed)
            {
                File.Delete(path);
            }

            throw Translate(path, e);
        }

        return new SqliteResultStore(path, c, existed, clock ?? TimeProvider.System);
    }

    public IIngestTransaction BeginIngest() => Guard(() =>
    {
        UseWal();
        return new AdoptingTransaction(this, new SqliteIngestTransaction(_c, _clock));
    });

    Detection.IDetectionStore Shared.IAdoStore.Detection() => new SqliteDetectionStore(this);

    bool Shared.IAdoStore.TryExportBaseline(BaselineInfo baseline, string outputPath)
    {
        SqliteBaselineExport.Export(this, baseline, outputPath);
        return true;
    }

    IIngestTransaction Shared.IAdoStore.BeginCopy() => Guard<IIngestTransaction>(() =>
    {
        UseWal();
        var tx = new SqliteIngestTransaction(_c, _clock);
        RowAdopter.Adopt(tx);
        return tx;
    });

    /// <summary>Applies the migrations and adopts rows llama-bench wrote directly, in one transaction.</summary>
    public MigrationReport Migrate() => Guard(() =>
    {
        UseWal();
        var before = SqliteMigrator.CurrentVersion(_c, null);
        using var tx = new SqliteIngestTransaction(_c, _clock);
        var (rows, runs) = RowAdopter.Adopt(tx);
        tx.Commit();
        return new MigrationReport(before, SqliteMigrator.CurrentVersion(_c, null), tx.Applied, tx.AddedColumns, rows, runs);
    });

    /// <summary>
    /// Switches the file to write-ahead logging before its first write (once; the mode is stored in the file):
    /// readers (show, detect, compare-llama-bench.py) then never wait for a writer, and writers only for each
    /// other. Not on open, so that reading a database (or printing its migration) leaves it byte-identical.
    /// </summary>
    private void UseWal()
    {
        if (_wal)
        {
            return;
        }

        using var cmd = _c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode = WAL";
        cmd.ExecuteScalar();
        _wal = true;
    }

    /// <summary>The migration as a plain SQL script for this database as it is now.</summary>
    public string MigrationScript() => Guard(() =>
        SqliteMigrator.ToScript(SqliteMigrator.Plan(_c, null, out _), Location));

    /// <summary>The migration as a plain SQL script for an empty database.</summary>
    public static string EmptyDatabaseMigrationScript() => SqliteMigrator.ToScript(SqliteMigrator.Plan(null, null, out _), null);

    public StoreSummary Summarize() => Guard(() => SqliteSummary.Read(this));

    /// <summary>Removes the file if this store created it and nothing was committed (a failed first ingest).</summary>
    public void DiscardIfCreated()
    {
        if (_existed)
        {
            return;
        }

        _c.Close();
        SqliteConnection.ClearAllPools();
        if (File.Exists(Location) && !HasSchema())
        {
            // The write-ahead log and its index go with it: a failed first write leaves no file behind.
            foreach (var file in new[] { Location, Location + "-wal", Location + "-shm", Location + "-journal" })
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>A table BenchGate or llama-bench (or test-backend-ops) writes.</summary>
    private static bool IsOurs(string table) =>
        table is "llama_bench" or "test" or "test_backend_ops" or "performance_baselines" or "performance_history" or "regression_alerts" or "memory_leak_logs" or "benchmark_keys"
        || table.StartsWith("benchgate_", StringComparison.Ordinal);

    private bool HasSchema()
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Location, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master";
        return (long)cmd.ExecuteScalar()! > 0;
    }

    public void Dispose() => _c.Dispose();

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e)
        {
            throw Translate(Location, e);
        }
    }

    internal static StoreException Translate(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        5 or 6 => new StoreException($"{path}: the database is locked by another process; try again when it has finished", e),
        26 => new StoreException($"{path}: not a SQLite database (file is encrypted or is not a database)", e),
        11 => new StoreException($"{path}: the database file is corrupt ({e.Message})", e),
        14 => new StoreException($"{path}: cannot open the database file (missing directory or no permission)", e),
        8 => new StoreException($"{path}: the database is read-only", e),
        _ => new StoreException($"{path}: {e.Message}", e),
    };

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Adopts rows llama-bench wrote directly before the first source of an ingest is read.</summary>
    private sealed class AdoptingTransaction : IIngestTransaction
    {
        private readonly SqliteResultStore _store;
        private readonly SqliteIngestTransaction _inner;

        public AdoptingTransaction(SqliteResultStore store, SqliteIngestTransaction inner)
        {
            _store = store;
            _inner = inner;
            RowAdopter.Adopt(inner);
        }

        public StoredSource? FindSource(string sha256) => _store.Guard(() => _inner.FindSource(sha256));

        public void BeginSource() => _inner.BeginSource();

        public void AbandonSource() => _inner.AbandonSource();

        public long AddSource(string name, string format) => _store.Guard(() => _inner.AddSource(name, format));

        public void CompleteSource(long sourceId, SourceDescriptor source, int recordCount) => _inner.CompleteSource(sourceId, source, recordCount);

        public string NewRunId() => _store.Guard(_inner.NewRunId);

        public int RecordsInFlight => ((IIngestTransaction)_inner).RecordsInFlight;

        public string BeginRun(RunDescriptor run) => _store.Guard(() => _inner.BeginRun(run));

        public void Add(Model.BenchmarkRecord record)
        {
            try
            {
                _inner.Add(record);
            }
            catch (SqliteException e)
            {
                throw Translate(_store.Location, e);
            }
        }

        public void EndRun() => _inner.EndRun();

        public IReadOnlyList<string> RegroupRuns(long sourceId, IReadOnlyList<string> runIds) => _store.Guard(() => _inner.RegroupRuns(sourceId, runIds));

        public void AddBackendOps(IReadOnlyList<BenchGate.BackendOps.BackendOpResult> rows) => _inner.AddBackendOps(rows);

        public void Commit() => _store.Guard(() =>
        {
            _inner.Commit();
            return 0;
        });

        public void Dispose() => _inner.Dispose();
    }
}
