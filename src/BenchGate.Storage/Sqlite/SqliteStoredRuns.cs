using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// Reads the runs of a BenchGate database for detect: only the columns detect uses, with the stored key,
/// run id and samples, instead of re-reading and re-normalising all 40 columns of every row (bench/RESULTS.md).
/// </summary>
public static class SqliteStoredRuns
{
    private static readonly string[] Measured = ["build_commit", "build_number", "model_size", "avg_ns", "stddev_ns", "avg_ts", "stddev_ts"];

    /// <summary>The side, or null when the file is not a BenchGate database whose rows are all adopted.</summary>
    public static ComparisonSide? TryRead(string path, string? commit) => TryOpen(path, c => Read(c, path, commit));

    /// <summary>As <see cref="TryRead"/>, with every llama_bench column, extras and samples (to copy runs into another database).</summary>
    public static ComparisonSide? TryReadComplete(string path, string? commit) => TryOpen(path, c =>
    {
        var runs = Shared.RunArchive.Read(c, LlamaBenchSchema.Fields, Shared.RunArchive.CommitFilter, ("c", commit));
        return runs.Count == 0 ? null : new ComparisonSide(commit is null ? Path.GetFileName(path) : $"{commit} ({Path.GetFileName(path)})", runs);
    });

    /// <summary>Runs <paramref name="read"/> on the file read-only when it is a BenchGate database whose rows are all adopted; else null.</summary>
    private static ComparisonSide? TryOpen(string path, Func<SqliteConnection, ComparisonSide?> read)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var c = new SqliteConnection(cs);
        try
        {
            c.Open();
            // Rows llama-bench wrote and BenchGate has not adopted have no stored key: read those the long way.
            if (!SqliteRowReader.TableExists(c, "benchgate_results") || !SqliteRowReader.Columns(c, "llama_bench").Contains(Schema.LinkColumn)
                || Scalar(c, $"SELECT COUNT(*) FROM llama_bench WHERE {Schema.LinkColumn} IS NULL") > 0
                || (SqliteRowReader.TableExists(c, "test")
                    && (!SqliteRowReader.Columns(c, "test").Contains(Schema.LinkColumn) || Scalar(c, $"SELECT COUNT(*) FROM test WHERE {Schema.LinkColumn} IS NULL") > 0)))
            {
                return null;
            }

            return read(c);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static ComparisonSide? Read(SqliteConnection c, string path, string? commit)
    {
        // A database of schema version 3 or older (not migrated: detect reads its baseline without writing) has no pairs.
        var pairs = SqliteRowReader.TableExists(c, "benchgate_run_pairs");
        var sql = $"""
            SELECT ru.run_id, ru.commit_sha, k.key_id, r.samples_ns, r.samples_ts, {(pairs ? "pr.pair_id" : "NULL")}, {string.Join(", ", Measured.Select(m => "lb." + m))}
            FROM benchgate_results r
            JOIN benchgate_runs ru ON ru.run_seq = r.run_seq
            {(pairs ? "LEFT JOIN benchgate_run_pairs pr ON pr.run_seq = ru.run_seq" : "")}
            JOIN benchmark_keys k ON k.key_id = r.key_id
            JOIN llama_bench lb ON lb.{Schema.LinkColumn} = r.result_id
            WHERE ?1 IS NULL OR ru.commit_sha LIKE ?1 || '%' OR ru.build_commit LIKE ?1 || '%' OR ?1 LIKE ru.build_commit || '%'
            ORDER BY r.result_id
            """;
        var db = c.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var stmt), db);
        using (stmt)
        {
            if (commit is null)
            {
                raw.sqlite3_bind_null(stmt, 1);
            }
            else
            {
                raw.sqlite3_bind_text(stmt, 1, commit);
            }

            var ordinals = Measured.Select(LlamaBenchSchema.Ordinal).ToArray();
            var runs = new List<RunRecords>();
            var interner = new Ingest.Readers.Utf8Interner();
            string? currentRun = null;
            List<BenchmarkRecord>? records = null;
            string? runCommit = null, pairId = null;
            var keys = Keys(c);
            int rc;
            while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
            {
                var runId = interner.Get(raw.sqlite3_column_blob(stmt, 0));
                if (runId != currentRun)
                {
                    if (records is not null)
                    {
                        runs.Add(new RunRecords(currentRun!, runCommit, records, pairId));
                    }

                    (currentRun, records) = (runId, []);
                    runCommit = raw.sqlite3_column_type(stmt, 1) == raw.SQLITE_NULL ? null : interner.Get(raw.sqlite3_column_blob(stmt, 1));
                    pairId = raw.sqlite3_column_type(stmt, 5) == raw.SQLITE_NULL ? null : interner.Get(raw.sqlite3_column_blob(stmt, 5));
                }

                var key = keys[raw.sqlite3_column_int64(stmt, 2)];
                var values = new FieldValue[LlamaBenchSchema.Count];
                for (var i = 0; i < ordinals.Length; i++)
                {
                    values[ordinals[i]] = raw.sqlite3_column_type(stmt, 6 + i) switch
                    {
                        raw.SQLITE_NULL => FieldValue.Null,
                        raw.SQLITE_INTEGER => FieldValue.FromInteger(raw.sqlite3_column_int64(stmt, 6 + i)),
                        raw.SQLITE_FLOAT => FieldValue.FromReal(raw.sqlite3_column_double(stmt, 6 + i)),
                        _ => FieldValue.FromText(interner.Get(raw.sqlite3_column_blob(stmt, 6 + i))),
                    };
                }

                var ns = raw.sqlite3_column_type(stmt, 3) == raw.SQLITE_TEXT ? SampleJson.Parse(raw.sqlite3_column_blob(stmt, 3)).Select(x => (long)x).ToArray() : null;
                var ts = raw.sqlite3_column_type(stmt, 4) == raw.SQLITE_TEXT ? SampleJson.Parse(raw.sqlite3_column_blob(stmt, 4)) : null;
                records!.Add(new BenchmarkRecord(values, [], ns, ts, null, 0, key));
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            if (records is not null)
            {
                runs.Add(new RunRecords(currentRun!, runCommit, records, pairId));
            }

            var name = Path.GetFileName(path);
            if (runs.Count == 0)
            {
                if (commit is not null)
                {
                    using var present = c.CreateCommand();
                    present.CommandText = "SELECT GROUP_CONCAT(DISTINCT COALESCE(commit_sha, build_commit)) FROM benchgate_runs";
                    throw new InputException($"no runs of commit '{commit}' (it holds: {present.ExecuteScalar()})", input: path);
                }

                return null;
            }

            return new ComparisonSide(commit is null ? name : $"{commit} ({name})", runs);
        }
    }

    // One query for all keys: a query per key cost ~50 µs each, half a second for 10,000 keys.
    private static Dictionary<long, BenchmarkKey> Keys(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT key_id, canonical FROM benchmark_keys";
        using var r = cmd.ExecuteReader();
        var keys = new Dictionary<long, BenchmarkKey>();
        while (r.Read())
        {
            keys[r.GetInt64(0)] = BenchmarkKey.Parse(r.GetString(1));
        }

        return keys;
    }

    private static long Scalar(SqliteConnection c, string sql) => Shared.AdoStores.ScalarInt64(c, null, sql);
}
