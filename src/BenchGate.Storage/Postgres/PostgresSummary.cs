using System.Globalization;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>The queries behind <c>benchgate show</c>, as the SQLite store answers them.</summary>
internal static class PostgresSummary
{
    public static StoreSummary Read(NpgsqlConnection c, string location)
    {
        var version = PostgresMigrator.CurrentVersion(c, null);
        if (version == 0)
        {
            return new StoreSummary(location, 0, 0, 0, [], [], [], []);
        }

        var rows = Scalar(c, "SELECT COUNT(*) FROM benchgate_results");
        var unmanaged = Scalar(c, "SELECT COUNT(*) FROM llama_bench WHERE benchgate_result_id IS NULL");

        var commits = Query(c, """
            SELECT COALESCE(commit_sha, '?'), MAX(build_commit), MAX(build_number), COUNT(*), SUM(row_count)::bigint, MIN(ingested_at), MAX(ingested_at)
            FROM benchgate_runs GROUP BY commit_sha ORDER BY MIN(run_seq)
            """, r => new CommitSummary(r.GetString(0), Str(r, 1), Long(r, 2), Int(r, 3), r.GetInt64(4), r.GetString(5), r.GetString(6)));

        var machines = Query(c, """
            SELECT COALESCE(ru.machine, '(unspecified)'), COALESCE(k.cpu_info, '?'), COALESCE(k.gpu_info, '?'), COALESCE(k.backends, '?'),
                   COUNT(DISTINCT ru.run_seq), COUNT(*)
            FROM benchgate_results r JOIN benchgate_runs ru ON ru.run_seq = r.run_seq JOIN benchmark_keys k ON k.key_id = r.key_id
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """, r => new MachineSummary(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Int(r, 4), r.GetInt64(5)));

        var configurations = Query(c, """
            SELECT k.key_hash, COALESCE(k.model, '?'), COALESCE(k.model_type, '?'), COALESCE(k.backends, '?'), COALESCE(k.test, '?'),
                   COALESCE(CAST(NULLIF(substring(k.n_threads from '^[0-9]+'), '') AS BIGINT), 0), COUNT(DISTINCT r.run_seq), COUNT(*), bool_or(r.samples_ns IS NOT NULL)
            FROM benchgate_results r JOIN benchmark_keys k ON k.key_id = r.key_id
            GROUP BY k.key_id ORDER BY k.model, k.backends, k.n_threads, k.n_depth, k.n_gen, k.n_prompt, k.key_hash
            """, r => new ConfigurationSummary(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5), Int(r, 6), r.GetInt64(7), r.GetBoolean(8)));

        var runs = Query(c, """
            SELECT ru.run_id, ru.commit_sha, ru.branch, ru.machine, COALESCE(s.name, '?'), COALESCE(s.format, '?'), ru.ingested_at, ru.row_count,
                   (SELECT MAX(repetitions) FROM benchgate_results r WHERE r.run_seq = ru.run_seq)
            FROM benchgate_runs ru LEFT JOIN benchgate_sources s ON s.source_id = ru.source_id ORDER BY ru.run_seq
            """, r => new RunSummary(r.GetString(0), Str(r, 1), Str(r, 2), Str(r, 3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt64(7), r.IsDBNull(8) ? null : Int(r, 8)));

        return new StoreSummary(location, version, rows, unmanaged, commits, machines, configurations, runs);
    }

    internal static long Scalar(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    internal static List<T> Query<T>(NpgsqlConnection c, string sql, Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] args)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(map(r));
        }

        return list;
    }

    internal static int Int(NpgsqlDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    internal static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    internal static long? Long(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
}
