using System.Globalization;
using System.Text.Json;
using BenchGate.Detection;
using BenchGate.Ingest;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>A saved baseline with what it holds.</summary>
public sealed record BaselineInfo(long Id, string Name, string? CommitSha, string CreatedAt, string? Branch, string? Machine, string? Description,
    bool IsActive, IReadOnlyList<string> RunIds, long Rows);

/// <summary>
/// The spec's performance_baselines, managed: a saved baseline names a fixed set of runs (run_ids), so later
/// ingests of the same commit never change it; saved from another database, its runs are copied in first.
/// Rows inserted by hand (the spec's manual flow: name, commit, time) show too; they stand for their commit's runs.
/// </summary>
public sealed class SqliteBaselineStore(SqliteResultStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public BaselineInfo Save(string name, string? commit, string? fromPath, string? branch, string? machine, string? description)
    {
        store.Migrate();
        if (Find(name) is not null)
        {
            throw new StoreException($"{store.Location}: a baseline named '{name}' exists already; delete it first (benchgate baseline delete {name} --yes) or choose another name");
        }

        using var tx = (SqliteIngestTransaction)((IResultStoreInternals)store).BeginRawIngest();
        var copying = fromPath is not null && !SamePath(fromPath, store.Location);
        List<string> runIds;
        if (copying)
        {
            var records = SideLoader.Records(fromPath!, new SqliteDatabaseFileReader());
            commit ??= records.LastOrDefault()?.BuildCommit;
            var chosen = records.Where(r => Matches(r.BuildCommit, commit)).ToList();
            if (chosen.Count == 0)
            {
                throw new IngestException($"no rows of commit '{commit}' (it holds: {string.Join(", ", records.Select(r => r.BuildCommit).Distinct())})", source: fromPath);
            }

            runIds = Copy(tx, name, fromPath!, commit!, chosen, branch, machine);
        }
        else
        {
            commit ??= Scalar(tx, "SELECT COALESCE(commit_sha, build_commit) FROM benchgate_runs ORDER BY run_seq DESC LIMIT 1") as string;
            runIds = RunIdsOf(tx, commit);
            if (runIds.Count == 0)
            {
                throw new StoreException($"{store.Location}: no runs of commit '{commit}' to save as baseline '{name}'");
            }
        }

        var now = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        Execute(tx, """
            UPDATE performance_baselines SET is_active = 0
            WHERE is_active = 1 AND COALESCE(branch, '') = COALESCE($b, '') AND COALESCE(machine, '') = COALESCE($m, '')
            """, ("$b", branch), ("$m", machine));
        Execute(tx, """
            INSERT INTO performance_baselines (baseline_name, commit_sha, created_at, branch, machine, description, is_active, run_ids)
            VALUES ($n, $c, $at, $b, $m, $d, 1, $r)
            """, ("$n", name), ("$c", commit), ("$at", now), ("$b", branch), ("$m", machine), ("$d", description), ("$r", JsonSerializer.Serialize(runIds)));
        tx.Commit();
        return Find(name)!;
    }

    public List<BaselineInfo> List()
    {
        store.Migrate();
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT id FROM performance_baselines ORDER BY created_at, id";
        using var r = cmd.ExecuteReader();
        var ids = new List<long>();
        while (r.Read())
        {
            ids.Add(r.GetInt64(0));
        }

        r.Close();
        return [.. ids.Select(Load)];
    }

    public BaselineInfo? Find(string name)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT id FROM performance_baselines WHERE baseline_name = $n ORDER BY is_active DESC, created_at DESC, id DESC LIMIT 1";
        cmd.Parameters.AddWithValue("$n", name);
        return cmd.ExecuteScalar() is long id ? Load(id) : null;
    }

    public BaselineInfo Activate(string name)
    {
        var b = Find(name) ?? throw NotFound(name);
        using var tx = store.Connection.BeginTransaction();
        Execute(tx, """
            UPDATE performance_baselines SET is_active = CASE WHEN id = $id THEN 1 ELSE 0 END
            WHERE id = $id OR (COALESCE(branch, '') = COALESCE($b, '') AND COALESCE(machine, '') = COALESCE($m, ''))
            """, ("$id", b.Id), ("$b", b.Branch), ("$m", b.Machine));
        tx.Commit();
        return Find(name)!;
    }

    /// <summary>Removes the baseline's row(s); its runs stay, as the ordinary history they also are.</summary>
    public int Delete(string name)
    {
        _ = Find(name) ?? throw NotFound(name);
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "DELETE FROM performance_baselines WHERE baseline_name = $n";
        cmd.Parameters.AddWithValue("$n", name);
        return cmd.ExecuteNonQuery();
    }

    /// <summary>A database holding only this baseline: its runs, rows, samples and keys, and its row.</summary>
    public void Export(string name, string outputPath)
    {
        var b = Find(name) ?? throw NotFound(name);
        if (File.Exists(outputPath))
        {
            throw new StoreException($"{outputPath}: exists already; choose another file");
        }

        using (var cmd = store.Connection.CreateCommand())
        {
            cmd.CommandText = "VACUUM INTO $p";
            cmd.Parameters.AddWithValue("$p", outputPath);
            cmd.ExecuteNonQuery();
        }

        using var copy = SqliteResultStore.Open(outputPath, create: false);
        using (var tx = copy.Connection.BeginTransaction())
        {
            Execute(tx, "CREATE TEMP TABLE keep_runs (run_id TEXT PRIMARY KEY)");
            foreach (var id in b.RunIds)
            {
                Execute(tx, "INSERT OR IGNORE INTO keep_runs VALUES ($r)", ("$r", id));
            }

            const string Kept = "SELECT r.result_id FROM benchgate_results r JOIN benchgate_runs ru ON ru.run_seq = r.run_seq WHERE ru.run_id IN (SELECT run_id FROM keep_runs)";
            Execute(tx, $"DELETE FROM llama_bench WHERE {SqliteSchema.LinkColumn} IS NULL OR {SqliteSchema.LinkColumn} NOT IN ({Kept})");
            if (SqliteRowReader.TableExists(copy.Connection, "test", tx))
            {
                Execute(tx, $"DELETE FROM test WHERE {SqliteSchema.LinkColumn} IS NULL OR {SqliteSchema.LinkColumn} NOT IN ({Kept})");
            }

            Execute(tx, "DELETE FROM benchgate_results WHERE run_seq NOT IN (SELECT run_seq FROM benchgate_runs WHERE run_id IN (SELECT run_id FROM keep_runs))");
            Execute(tx, "DELETE FROM benchgate_runs WHERE run_id NOT IN (SELECT run_id FROM keep_runs)");
            Execute(tx, "DELETE FROM benchgate_sources WHERE source_id NOT IN (SELECT source_id FROM benchgate_runs WHERE source_id IS NOT NULL)");
            Execute(tx, "DELETE FROM benchmark_keys WHERE key_id NOT IN (SELECT key_id FROM benchgate_results)");
            Execute(tx, "DELETE FROM performance_baselines WHERE id <> $id", ("$id", b.Id));
            Execute(tx, "UPDATE performance_baselines SET run_ids = $r, is_active = 1 WHERE id = $id", ("$r", JsonSerializer.Serialize(b.RunIds)), ("$id", b.Id));
            Execute(tx, "DELETE FROM performance_history");
            Execute(tx, "DELETE FROM regression_alerts");
            Execute(tx, "DELETE FROM memory_leak_logs");
            tx.Commit();
        }

        using var vacuum = copy.Connection.CreateCommand();
        vacuum.CommandText = "VACUUM";
        vacuum.ExecuteNonQuery();
    }

    private static List<string> Copy(SqliteIngestTransaction tx, string name, string fromPath, string commit, List<Model.BenchmarkRecord> records, string? branch, string? machine)
    {
        var outcome = new Ingestor(tx, new SqliteDatabaseFileReader()).IngestRecords($"baseline {name}: {fromPath} @ {commit}", InputFormat.Sqlite, records,
            $"baseline:{name}:{Guid.NewGuid():N}", new IngestOptions(Commit: commit, Branch: branch, Machine: machine));
        return [.. outcome.RunIds];
    }

    private BaselineInfo Load(long id)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT baseline_name, commit_sha, created_at, branch, machine, description, is_active, run_ids FROM performance_baselines WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        using var r = cmd.ExecuteReader();
        r.Read();
        var commit = r.IsDBNull(1) ? null : r.GetString(1);
        IReadOnlyList<string> runIds = r.IsDBNull(7) ? RunIdsOf((SqliteTransaction?)null, commit) : JsonSerializer.Deserialize<string[]>(r.GetString(7)) ?? [];
        var info = new BaselineInfo(id, r.GetString(0), commit, r.GetString(2), S(r, 3), S(r, 4), S(r, 5), r.GetInt64(6) == 1, runIds, 0);
        r.Close();
        return info with { Rows = RowsOf(runIds) };
    }

    /// <summary>Runs of a commit (full or short hash, matched by prefix either way).</summary>
    private List<string> RunIdsOf(SqliteTransaction? tx, string? commit)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT run_id FROM benchgate_runs
            WHERE $c IS NOT NULL AND (commit_sha LIKE $c || '%' OR build_commit LIKE $c || '%' OR $c LIKE build_commit || '%' OR $c LIKE commit_sha || '%')
            ORDER BY run_seq
            """;
        cmd.Parameters.AddWithValue("$c", (object?)commit ?? DBNull.Value);
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    private long RowsOf(IReadOnlyList<string> runIds)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(SUM(row_count), 0) FROM benchgate_runs WHERE run_id IN (SELECT value FROM json_each($ids))";
        cmd.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(runIds));
        return (long)cmd.ExecuteScalar()!;
    }

    private static bool Matches(string? buildCommit, string? commit) =>
        buildCommit is not null && commit is not null
        && (buildCommit.StartsWith(commit, StringComparison.OrdinalIgnoreCase) || commit.StartsWith(buildCommit, StringComparison.OrdinalIgnoreCase));

    private static bool SamePath(string a, string b) => Path.GetFullPath(a) == Path.GetFullPath(b);

    private StoreException NotFound(string name)
    {
        var names = List().Select(b => b.Name).Distinct().ToList();
        return new StoreException($"{store.Location}: no baseline named '{name}' (saved: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
    }

    private static object? Scalar(SqliteIngestTransaction tx, string sql)
    {
        using var cmd = tx.Connection.CreateCommand();
        cmd.Transaction = tx.Transaction;
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static void Execute(SqliteIngestTransaction tx, string sql, params (string Name, object? Value)[] args) => Execute(tx.Transaction, sql, args);

    private static void Execute(SqliteTransaction tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        }

        cmd.ExecuteNonQuery();
    }

    private static string? S(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private List<string> RunIdsOf(SqliteIngestTransaction tx, string? commit) => RunIdsOf(tx.Transaction, commit);
}
