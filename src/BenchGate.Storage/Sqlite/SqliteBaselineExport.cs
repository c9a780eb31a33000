using BenchGate.Storage.Shared;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// A SQLite baseline exported as a copy of the file cut down to the baseline's runs: VACUUM INTO keeps every
/// table llama-bench and BenchGate wrote (test, test_backend_ops) as it is.
/// </summary>
internal static class SqliteBaselineExport
{
    public static void Export(SqliteResultStore store, BaselineInfo b, string outputPath)
    {
        AdoStores.Execute(store.Connection, null, "VACUUM INTO @p", ("p", outputPath));
        using var copy = SqliteResultStore.Open(outputPath, create: false);
        var c = copy.Connection;
        using (var tx = c.BeginTransaction())
        {
            void Execute(string sql, params (string, object?)[] args) => AdoStores.Execute(c, tx, sql, args);
            Execute("CREATE TEMP TABLE keep_runs (run_id TEXT PRIMARY KEY)");
            foreach (var id in b.RunIds)
            {
                Execute("INSERT OR IGNORE INTO keep_runs VALUES (@r)", ("r", id));
            }

            const string Kept = "SELECT r.result_id FROM benchgate_results r JOIN benchgate_runs ru ON ru.run_seq = r.run_seq WHERE ru.run_id IN (SELECT run_id FROM keep_runs)";
            Execute($"DELETE FROM llama_bench WHERE {Schema.LinkColumn} IS NULL OR {Schema.LinkColumn} NOT IN ({Kept})");
            if (SqliteRowReader.TableExists(c, "test", tx))
            {
                Execute($"DELETE FROM test WHERE {Schema.LinkColumn} IS NULL OR {Schema.LinkColumn} NOT IN ({Kept})");
            }

            Execute("DELETE FROM benchgate_results WHERE run_seq NOT IN (SELECT run_seq FROM benchgate_runs WHERE run_id IN (SELECT run_id FROM keep_runs))");
            if (SqliteRowReader.TableExists(c, "benchgate_run_pairs", tx))
            {
                Execute("DELETE FROM benchgate_run_pairs WHERE run_seq NOT IN (SELECT run_seq FROM benchgate_runs WHERE run_id IN (SELECT run_id FROM keep_runs))");
            }

            Execute("DELETE FROM benchgate_runs WHERE run_id NOT IN (SELECT run_id FROM keep_runs)");
            Execute("DELETE FROM benchgate_sources WHERE source_id NOT IN (SELECT source_id FROM benchgate_runs WHERE source_id IS NOT NULL)");
            Execute("DELETE FROM benchmark_keys WHERE key_id NOT IN (SELECT key_id FROM benchgate_results)");
            Execute("DELETE FROM performance_baselines WHERE id <> @id", ("id", b.Id));
            Execute("UPDATE performance_baselines SET run_ids = @r, is_active = 1 WHERE id = @id", ("r", RunIdsJson.Write(b.RunIds)), ("id", b.Id));
            Execute("DELETE FROM performance_history");
            Execute("DELETE FROM regression_alerts");
            Execute("DELETE FROM memory_leak_logs");
            tx.Commit();
        }

        AdoStores.Execute(c, null, "VACUUM");
    }
}
