using System.Data.Common;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage;

/// <summary>What a sync copied and what the target had already.</summary>
public sealed record SyncReport(int RunsCopied, long RowsCopied, int RunsPresent, int HistoryCopied, int AlertsCopied, int BaselinesCopied, int MemoryLogsCopied);

/// <summary>
/// Copies runs (with their rows, keys and samples, under the same run ids) and detect's and memcheck's records
/// from one store to another, SQLite or PostgreSQL either way. Idempotent: a run whose id the target has, or
/// whose source content the target ingested already, is not copied again; the runs go in one transaction.
/// </summary>
public static class RunCopier
{
    public static SyncReport Copy(IResultStore from, IResultStore to, IReadOnlySet<string>? onlyRuns = null)
    {
        var src = AdoStores.Of(from);
        var dst = AdoStores.Of(to);
        // The source is only read: it is not migrated. Rows llama-bench wrote into it directly are not runs yet.
        if (!src.Guard(() => RunArchive.TableExists(src.Connection, "benchgate_runs")))
        {
            throw new StoreException($"{src.Location}: holds no BenchGate runs (rows written by llama-bench directly are ingested with: benchgate ingest {src.Location} -d <target>)");
        }

        dst.EnsureMigrated();
        var runs = src.Guard(() => RunArchive.Runs(src.Connection)).Where(r => onlyRuns is null || onlyRuns.Contains(r.RunId)).ToList();
        var present = dst.Guard(() => AdoStores.Query(dst.Connection, null, "SELECT run_id FROM benchgate_runs", r => r.GetString(0))).ToHashSet(StringComparer.Ordinal);
        var missing = runs.Where(r => !present.Contains(r.RunId)).ToList();
        var copied = 0;
        var sameContent = 0;
        long rows = 0;
        if (missing.Count > 0)
        {
            using var tx = to.BeginIngest();
            foreach (var source in missing.GroupBy(r => r.SourceKey))
            {
                var first = source.First();
                if (first.SourceSha256 is { } sha && tx.FindSource(sha) is not null)
                {
                    // The target ingested the same input itself (under other run ids): its runs are there already.
                    sameContent += source.Count();
                    continue;
                }

                tx.BeginSource();
                var sourceId = tx.AddSource(first.SourceName, first.SourceFormat);
                var count = 0;
                foreach (var run in source)
                {
                    var records = src.Guard(() => RunArchive.Read(src.Connection, "WHERE ru.run_id = @r", ("r", run.RunId))).SelectMany(r => r.Records).ToList();
                    tx.BeginRun(new RunDescriptor(run.RunId, sourceId, run.IndexInSource, run.Commit, run.Branch, run.Machine, run.BuildCommit, run.BuildNumber, run.PairId));
                    foreach (var record in records)
                    {
                        tx.Add(record);
                    }

                    tx.EndRun();
                    count += records.Count;
                    copied++;
                }

                tx.CompleteSource(sourceId, new SourceDescriptor(first.SourceName, first.SourceFormat, first.SourceSha256 ?? $"sync:{first.RunId}", first.SourceSizeBytes), count);
                rows += count;
            }

            tx.Commit();
        }

        var wanted = onlyRuns is null ? null : (Func<string?, bool>)(id => id is not null && onlyRuns.Contains(id));
        var history = CopyRows(src, dst, "performance_history", ["recorded_at", "key_hash", "benchmark", "commit_sha", "branch", "machine", "run_id", "metric", "value", "stddev", "repetitions"],
            ["run_id", "key_hash", "metric"], wanted, "run_id IS NOT NULL");
        if (onlyRuns is not null)
        {
            return new SyncReport(copied, rows, runs.Count - missing.Count + sameContent, history, 0, 0, 0);
        }

        var alerts = CopyRows(src, dst, "regression_alerts", ["created_at", "key_hash", "benchmark", "metric", "baseline_commit", "current_commit", "baseline_value", "current_value",
            "change_pct", "ci_low_pct", "ci_high_pct", "threshold_pct", "p_value", "verdict", "status", "notes", "updated_at"], ["created_at", "key_hash", "metric", "baseline_commit", "current_commit"], null, null);
        var baselines = CopyRows(src, dst, "performance_baselines", ["baseline_name", "commit_sha", "created_at", "branch", "machine", "backend", "description", "is_active", "run_ids"],
            ["baseline_name", "created_at"], null, null);
        var memory = CopyRows(src, dst, "memory_leak_logs", ["created_at", "commit_sha", "run_id", "source", "test_name", "detector", "kind", "initial_memory_mb", "final_memory_mb",
            "peak_memory_mb", "leaked_mb", "leaked_bytes", "leaked_objects", "memory_status", "details"], ["created_at", "source", "detector", "kind", "run_id", "test_name", "commit_sha"], null, null);
        return new SyncReport(copied, rows, runs.Count - missing.Count + sameContent, history, alerts, baselines, memory);
    }

    /// <summary>Copies the rows of a table the target lacks, a row being identified by <paramref name="identity"/> (NULLs equal).</summary>
    private static int CopyRows(IAdoStore src, IAdoStore dst, string table, string[] columns, string[] identity, Func<string?, bool>? runFilter, string? where)
    {
        var list = string.Join(", ", columns);
        var rows = src.Guard(() => AdoStores.Query(src.Connection, null, $"SELECT {list} FROM {table}{(where is null ? "" : " WHERE " + where)} ORDER BY id", r =>
        {
            var values = new object?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                values[i] = r.IsDBNull(i) ? null : r.GetValue(i);
            }

            return values;
        }));
        if (runFilter is not null)
        {
            var runColumn = Array.IndexOf(columns, "run_id");
            rows = [.. rows.Where(v => runFilter(v[runColumn] as string))];
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        var identityIndex = identity.Select(c => Array.IndexOf(columns, c)).ToArray();
        var have = dst.Guard(() => AdoStores.Query(dst.Connection, null, $"SELECT {string.Join(", ", identity)} FROM {table}", r => Identity(r, identity.Length)))
            .ToHashSet(StringComparer.Ordinal);
        return dst.Guard(() =>
        {
            using var tx = dst.Connection.BeginTransaction();
            var n = 0;
            var insert = $"INSERT INTO {table} ({list}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})";
            foreach (var values in rows)
            {
                var id = string.Join("\u001f", identityIndex.Select(i => Format(values[i])));
                if (!have.Add(id))
                {
                    continue;
                }

                AdoStores.Execute(dst.Connection, tx, insert, [.. columns.Select((c, i) => (c, Normalize(values[i])))]);
                n++;
            }

            tx.Commit();
            return n;
        });
    }

    private static string Identity(DbDataReader r, int n) =>
        string.Join("\u001f", Enumerable.Range(0, n).Select(i => Format(r.IsDBNull(i) ? null : r.GetValue(i))));

    private static string Format(object? v) => v is null ? "\u0000" : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!;

    // SQLite hands integers back as Int64 and PostgreSQL's columns are BIGINT: pass them as they are; an int becomes long.
    private static object? Normalize(object? v) => v is int i ? (long)i : v;
}
