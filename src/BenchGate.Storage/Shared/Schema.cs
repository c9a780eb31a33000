using BenchGate.Model;

namespace BenchGate.Storage.Shared;

/// <summary>
/// The versioned migrations, as SQL text: <c>benchgate migrate</c> executes exactly these statements and
/// <c>benchgate migrate --print-sql</c> prints them, so the sqlite3 CLI reaches the same schema.
/// docs/database.md documents every table, column and view. Written once, in SQLite's dialect; PostgresSchema
/// translates it, so both stores have one schema.
/// </summary>
internal static class Schema
{
    public const string Now = "strftime('%Y-%m-%dT%H:%M:%SZ','now')";

    /// <summary>Our link from a llama_bench row to its run and samples.</summary>
    public const string LinkColumn = "benchgate_result_id";

    public sealed record Migration(int Version, string Description, string Sql);

    /// <summary>llama-bench's own CREATE TABLE, plus our link column.</summary>
    public static string LlamaBenchTable()
    {
        var columns = LlamaBenchSchema.Fields.Select(f => $"  {f.Name} {f.SqlType}").Append($"  {LinkColumn} INTEGER");
        return "CREATE TABLE IF NOT EXISTS llama_bench (\n" + string.Join(",\n", columns) + "\n);";
    }

    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "llama_bench table and BenchGate runs, sources, benchmark keys and samples", $"""
            {LlamaBenchTable()}
            CREATE TABLE IF NOT EXISTS benchgate_sources (
              source_id INTEGER PRIMARY KEY,
              name TEXT NOT NULL,
              format TEXT NOT NULL,
              sha256 TEXT,
              size_bytes INTEGER,
              record_count INTEGER,
              ingested_at TEXT NOT NULL DEFAULT ({Now})
            );
            CREATE INDEX IF NOT EXISTS benchgate_sources_sha256 ON benchgate_sources (sha256);
            CREATE TABLE IF NOT EXISTS benchgate_runs (
              run_seq INTEGER PRIMARY KEY AUTOINCREMENT,
              run_id TEXT NOT NULL UNIQUE,
              source_id INTEGER REFERENCES benchgate_sources (source_id),
              index_in_source INTEGER NOT NULL,
              commit_sha TEXT,
              build_commit TEXT,
              build_number INTEGER,
              branch TEXT,
              machine TEXT,
              ingested_at TEXT NOT NULL DEFAULT ({Now}),
              row_count INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX IF NOT EXISTS benchgate_runs_commit ON benchgate_runs (commit_sha);
            CREATE TABLE IF NOT EXISTS benchmark_keys (
              key_id INTEGER PRIMARY KEY,
              key_hash TEXT NOT NULL UNIQUE,
              canonical TEXT NOT NULL,
              model TEXT,
              model_type TEXT,
              backends TEXT,
              cpu_info TEXT,
              gpu_info TEXT,
              n_threads TEXT,
              n_prompt INTEGER,
              n_gen INTEGER,
              n_depth INTEGER,
              test TEXT
            );
            CREATE TABLE IF NOT EXISTS benchgate_results (
              result_id INTEGER PRIMARY KEY,
              run_seq INTEGER NOT NULL REFERENCES benchgate_runs (run_seq) ON DELETE CASCADE,
              seq INTEGER NOT NULL,
              key_id INTEGER NOT NULL REFERENCES benchmark_keys (key_id),
              repetitions INTEGER,
              samples_ns TEXT,
              samples_ts TEXT,
              reported_stddev_ns INTEGER,
              extra_fields TEXT,
              source_line INTEGER,
              UNIQUE (run_seq, seq)
            );
            CREATE INDEX IF NOT EXISTS benchgate_results_key ON benchgate_results (key_id);
            """),
        new(2, "the spec's performance_baselines, performance_history, regression_alerts, memory_leak_logs and views", $"""
            CREATE INDEX IF NOT EXISTS llama_bench_benchgate_result ON llama_bench ({LinkColumn});
            CREATE TABLE IF NOT EXISTS performance_baselines (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              baseline_name TEXT NOT NULL,
              commit_sha TEXT,
              created_at TEXT NOT NULL DEFAULT ({Now}),
              branch TEXT,
              machine TEXT,
              backend TEXT,
              description TEXT,
              is_active INTEGER NOT NULL DEFAULT 1,
              run_ids TEXT
            );
            CREATE TABLE IF NOT EXISTS performance_history (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              recorded_at TEXT NOT NULL DEFAULT ({Now}),
              key_hash TEXT NOT NULL,
              benchmark TEXT NOT NULL,
              commit_sha TEXT,
              branch TEXT,
              machine TEXT,
              run_id TEXT,
              metric TEXT NOT NULL,
              value REAL NOT NULL,
              stddev REAL,
              repetitions INTEGER
            );
            CREATE INDEX IF NOT EXISTS performance_history_key ON performance_history (key_hash, metric, recorded_at);
            CREATE TABLE IF NOT EXISTS regression_alerts (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              created_at TEXT NOT NULL DEFAULT ({Now}),
              key_hash TEXT NOT NULL,
              benchmark TEXT NOT NULL,
              metric TEXT NOT NULL,
              baseline_commit TEXT,
              current_commit TEXT,
              baseline_value REAL,
              current_value REAL,
              change_pct REAL,
              ci_low_pct REAL,
              ci_high_pct REAL,
              threshold_pct REAL,
              p_value REAL,
              verdict TEXT NOT NULL DEFAULT 'regression',
              status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'false_positive', 'fixed')),
              notes TEXT,
              updated_at TEXT
            );
            CREATE INDEX IF NOT EXISTS regression_alerts_key ON regression_alerts (key_hash, metric);
            CREATE TABLE IF NOT EXISTS memory_leak_logs (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              created_at TEXT NOT NULL DEFAULT ({Now}),
              commit_sha TEXT,
              run_id TEXT,
              source TEXT NOT NULL,
              test_name TEXT,
              detector TEXT NOT NULL,
              kind TEXT NOT NULL CHECK (kind IN ('leak', 'excessive', 'growth', 'ok')),
              initial_memory_mb REAL,
              final_memory_mb REAL,
              peak_memory_mb REAL,
              leaked_mb REAL,
              leaked_bytes INTEGER,
              leaked_objects INTEGER,
              memory_status INTEGER CHECK (memory_status IS NULL OR memory_status BETWEEN 0 AND 3),
              details TEXT
            );
            CREATE VIEW IF NOT EXISTS latest_baselines AS
              SELECT b.* FROM performance_baselines b
              WHERE b.is_active = 1 AND NOT EXISTS (
                SELECT 1 FROM performance_baselines n
                WHERE n.is_active = 1
                  AND COALESCE(n.branch, '') = COALESCE(b.branch, '')
                  AND COALESCE(n.machine, '') = COALESCE(b.machine, '')
                  AND COALESCE(n.backend, '') = COALESCE(b.backend, '')
                  AND (n.created_at > b.created_at OR (n.created_at = b.created_at AND n.id > b.id)));
            CREATE VIEW IF NOT EXISTS regression_summary AS
              SELECT benchmark, metric, COUNT(*) AS alerts,
                SUM(status = 'open') AS open_alerts,
                SUM(status = 'acknowledged') AS acknowledged,
                SUM(status = 'false_positive') AS false_positives,
                SUM(status = 'fixed') AS fixed,
                MIN(change_pct) AS worst_change_pct,
                MAX(created_at) AS last_seen
              FROM regression_alerts GROUP BY benchmark, metric;
            CREATE VIEW IF NOT EXISTS memory_leak_summary AS
              SELECT commit_sha, source, COUNT(*) AS findings,
                SUM(kind = 'leak') AS leaks,
                SUM(kind = 'excessive') AS excessive,
                SUM(kind = 'growth') AS growth,
                SUM(COALESCE(leaked_mb, 0)) AS total_leaked_mb,
                MAX(peak_memory_mb) AS peak_memory_mb,
                MAX(created_at) AS last_seen
              FROM memory_leak_logs GROUP BY commit_sha, source;
            CREATE VIEW IF NOT EXISTS benchgate_rows AS
              SELECT r.result_id, ru.run_id, ru.run_seq, ru.commit_sha, ru.branch, ru.machine, k.key_hash, k.test,
                r.repetitions, r.samples_ns, r.samples_ts, r.extra_fields, lb.*
              FROM benchgate_results r
              JOIN benchgate_runs ru ON ru.run_seq = r.run_seq
              JOIN benchmark_keys k ON k.key_id = r.key_id
              JOIN llama_bench lb ON lb.{LinkColumn} = r.result_id;
            """),
        new(3, "one performance_history row per run, benchmark and metric", """
            DELETE FROM performance_history WHERE run_id IS NOT NULL AND id NOT IN (
              SELECT MIN(id) FROM performance_history WHERE run_id IS NOT NULL GROUP BY run_id, key_hash, metric);
            CREATE UNIQUE INDEX IF NOT EXISTS performance_history_run ON performance_history (run_id, key_hash, metric);
            """),
        new(4, "benchgate_run_pairs: runs of two builds made one after the other on one machine (run --interleave)", """
            CREATE TABLE IF NOT EXISTS benchgate_run_pairs (
              run_seq INTEGER NOT NULL PRIMARY KEY REFERENCES benchgate_runs (run_seq) ON DELETE CASCADE,
              pair_id TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS benchgate_run_pairs_pair ON benchgate_run_pairs (pair_id);
            """),
        new(5, "trend: each series' analysis state and the change points it found", """
            CREATE TABLE IF NOT EXISTS benchgate_trend_state (
              series_id TEXT PRIMARY KEY,
              key_hash TEXT NOT NULL,
              metric TEXT NOT NULL,
              machine TEXT,
              branch TEXT,
              points INTEGER NOT NULL,
              last_commit TEXT NOT NULL,
              candidates TEXT NOT NULL,
              updated_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS benchgate_change_points (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              series_id TEXT NOT NULL,
              key_hash TEXT NOT NULL,
              benchmark TEXT NOT NULL,
              metric TEXT NOT NULL,
              machine TEXT,
              branch TEXT,
              commit_sha TEXT NOT NULL,
              previous_commit TEXT NOT NULL,
              change_pct REAL,
              ci_low_pct REAL,
              ci_high_pct REAL,
              p_value REAL,
              verdict TEXT NOT NULL CHECK (verdict IN ('regression', 'improvement')),
              suspected_cause TEXT NOT NULL DEFAULT 'code' CHECK (suspected_cause IN ('code', 'machine')),
              evidence TEXT,
              alert_id INTEGER,
              first_seen_at TEXT NOT NULL,
              last_seen_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS benchgate_change_points_series ON benchgate_change_points (series_id);
            """),
        new(6, "bisect: the verdict on each probed commit, so that a second bisection of a range costs nothing", """
            CREATE TABLE IF NOT EXISTS benchgate_bisect_verdicts (
              bisect_key TEXT NOT NULL,
              commit_sha TEXT NOT NULL,
              role TEXT NOT NULL CHECK (role IN ('ends', 'probe')),
              benchmark TEXT,
              verdict TEXT NOT NULL CHECK (verdict IN ('good', 'bad', 'skipped')),
              confident INTEGER NOT NULL,
              p_value REAL,
              rounds INTEGER NOT NULL,
              position REAL,
              from_good REAL,
              from_good_se REAL,
              degrees_of_freedom REAL,
              ends_change REAL,
              detail TEXT,
              created_at TEXT NOT NULL,
              PRIMARY KEY (bisect_key, commit_sha, role)
            );
            """),
        new(7, "profile: perf profiles of a regression, attached to its alert", """
            CREATE TABLE IF NOT EXISTS benchgate_profiles (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              alert_id INTEGER NOT NULL,
              created_at TEXT NOT NULL,
              baseline_bench TEXT NOT NULL,
              new_bench TEXT NOT NULL,
              args TEXT NOT NULL,
              summary TEXT NOT NULL,
              report_md TEXT NOT NULL,
              report_json TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS benchgate_profiles_alert ON benchgate_profiles (alert_id);
            """),
        // compare finds its two builds by build_commit; without an index each lookup read the table up to the build's
        // first row (10,000,000 rows: ~1 s a build). Rows of one build are stored together, so ingest adds to one place.
        new(8, "llama_bench rows found by build_commit, so compare picks two builds out of a long history without reading it", """
            CREATE INDEX IF NOT EXISTS llama_bench_build_commit ON llama_bench (build_commit);
            """),
        // Regrouping a source's runs (ingest, adoption) selects them by source_id several times inside the writer's
        // transaction; without an index each selection read every run of the store.
        new(9, "runs found by their source, so regrouping one source's runs does not read every run of the store", """
            CREATE INDEX IF NOT EXISTS benchgate_runs_source ON benchgate_runs (source_id, index_in_source);
            """),
    ];

    public const string VersionTable = $"""
        CREATE TABLE IF NOT EXISTS benchgate_schema_version (
          version INTEGER PRIMARY KEY,
          description TEXT NOT NULL,
          applied_at TEXT NOT NULL DEFAULT ({Now})
        );
        """;

    public static int LatestVersion => Migrations[^1].Version;

    public static string RecordVersion(Migration m) =>
        $"INSERT OR IGNORE INTO benchgate_schema_version (version, description) VALUES ({m.Version}, '{m.Description.Replace("'", "''", StringComparison.Ordinal)}');";
}
