using System.Data.Common;
using System.Globalization;

namespace BenchGate.Storage.Shared;

/// <summary>The queries behind <c>benchgate show</c>, one text for both backends (each says how many rows it holds that BenchGate does not manage).</summary>
internal static class StoreSummaries
{
    public static StoreSummary Read(IAdoStore store, int version, long unmanaged)
    {
        var c = store.Connection;
        var rows = AdoStores.ScalarInt64(c, null, "SELECT COUNT(*) FROM benchgate_results");
        var commits = AdoStores.Query(c, null, """
            SELECT COALESCE(commit_sha, '?'), MAX(build_commit), MAX(build_number), COUNT(*), CAST(SUM(row_count) AS BIGINT), MIN(ingested_at), MAX(ingested_at)
            FROM benchgate_runs GROUP BY commit_sha ORDER BY MIN(run_seq)
            """, r => new CommitSummary(r.GetString(0), Str(r, 1), Long(r, 2), Int(r, 3), Long(r, 4) ?? 0, r.GetString(5), r.GetString(6)));

        var machines = AdoStores.Query(c, null, """
            SELECT COALESCE(ru.machine, '(unspecified)'), COALESCE(k.cpu_info, '?'), COALESCE(k.gpu_info, '?'), COALESCE(k.backends, '?'),
                   COUNT(DISTINCT ru.run_seq), COUNT(*)
            FROM benchgate_results r JOIN benchgate_runs ru ON ru.run_seq = r.run_seq JOIN benchmark_keys k ON k.key_id = r.key_id
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """, r => new MachineSummary(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Int(r, 4), Long(r, 5) ?? 0));

        // n_threads is text ("4", or "4,8" from older versions): its leading number, which SQLite's CAST gives and PostgreSQL's refuses.
        var threads = store.IsPostgres ? "CAST(NULLIF(substring(k.n_threads from '^[0-9]+'), '') AS BIGINT)" : "CAST(k.n_threads AS INTEGER)";
        var configurations = AdoStores.Query(c, null, $"""
            SELECT k.key_hash, COALESCE(k.model, '?'), COALESCE(k.model_type, '?'), COALESCE(k.backends, '?'), COALESCE(k.test, '?'),
                   COALESCE({threads}, 0), COUNT(DISTINCT r.run_seq), COUNT(*), MAX(CASE WHEN r.samples_ns IS NOT NULL THEN 1 ELSE 0 END)
            FROM benchgate_results r JOIN benchmark_keys k ON k.key_id = r.key_id
            GROUP BY k.key_id ORDER BY k.model, k.backends, k.n_threads, k.n_depth, k.n_gen, k.n_prompt, k.key_hash
            """, r => new ConfigurationSummary(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Long(r, 5) ?? 0, Int(r, 6), Long(r, 7) ?? 0, Int(r, 8) == 1));

        var runs = AdoStores.Query(c, null, """
            SELECT ru.run_id, ru.commit_sha, ru.branch, ru.machine, COALESCE(s.name, '?'), COALESCE(s.format, '?'), ru.ingested_at, ru.row_count,
                   (SELECT MAX(repetitions) FROM benchgate_results r WHERE r.run_seq = ru.run_seq)
            FROM benchgate_runs ru LEFT JOIN benchgate_sources s ON s.source_id = ru.source_id ORDER BY ru.run_seq
            """, r => new RunSummary(r.GetString(0), Str(r, 1), Str(r, 2), Str(r, 3), r.GetString(4), r.GetString(5), r.GetString(6), Long(r, 7) ?? 0, r.IsDBNull(8) ? null : Int(r, 8)));

        return new StoreSummary(store.Location, version, rows, unmanaged, commits, machines, configurations, runs);
    }

    private static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
