using System.Diagnostics;
using System.Globalization;
using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BenchGate.Bench;

/// <summary>
/// What SQLite alone takes to store the same rows ingest stores (issue #18's "bare-SQLite ceiling"): the first
/// run of the input normalised once, then its rows inserted over and over with prepared statements bound by position,
/// in one transaction, into a database with BenchGate's schema. Two shapes: llama_bench alone (what llama-bench's own
/// SQL would store), and llama_bench with benchgate_results (what ingest stores a row; runs and keys are a few rows).
/// No parsing, no normalising, no key: the floor under ingest's writing side.
/// </summary>
internal static class IngestCeiling
{
    public static long Run(string input, string db, int rows, bool withResults)
    {
        var sample = new List<BenchmarkRecord>();
        using (var stream = File.OpenRead(input))
        {
            foreach (var raw in TextFormatReaders.Open(InputFormat.Jsonl, stream).Take(64))
            {
                sample.Add(RecordNormalizer.Normalize(raw));
            }
        }

        var samplesNs = sample.Select(r => System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", r.SamplesNs ?? []) + "]")).ToArray();
        var samplesTs = sample.Select(r => System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", (r.SamplesTs ?? []).Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]")).ToArray();
        using (var store = SqliteResultStore.Open(db))
        {
            store.Migrate();
        }

        using var c = new SqliteConnection($"Data Source={db}");
        c.Open();
        // The store's own settings (its page cache, foreign keys) and one transaction, as ingest has.
        Exec(c, "PRAGMA cache_size = -65536; PRAGMA foreign_keys = ON; BEGIN IMMEDIATE; INSERT INTO benchgate_sources (name, format, sha256, size_bytes) VALUES ('ceiling', 'jsonl', 'x', 0);"
            + "INSERT INTO benchgate_runs (run_id, source_id, index_in_source) VALUES ('r', 1, 1);"
            + "INSERT INTO benchmark_keys (key_hash, canonical) VALUES ('k', 'k');");
        var names = LlamaBenchSchema.Fields.Select(f => f.Name).Append("benchgate_result_id").ToList();
        var handle = c.Handle!;
        Check(raw.sqlite3_prepare_v2(handle, $"INSERT INTO llama_bench ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select(_ => "?"))})", out var row), handle);
        Check(raw.sqlite3_prepare_v2(handle, "INSERT INTO benchgate_results (result_id, run_seq, seq, key_id, repetitions, samples_ns, samples_ts) VALUES (?, 1, ?, 1, 5, ?, ?)", out var result), handle);
        var utf8 = new Dictionary<string, byte[]>();
        for (var i = 0; i < rows; i++)
        {
            var r = sample[i % sample.Count];
            var values = r.Values;
            for (var f = 0; f < values.Length; f++)
            {
                var v = values[f];
                _ = v.Kind switch
                {
                    ValueKind.Null => raw.sqlite3_bind_null(row, f + 1),
                    ValueKind.Text => raw.sqlite3_bind_text(row, f + 1, Bytes(utf8, v.Text!)),
                    ValueKind.Real => raw.sqlite3_bind_double(row, f + 1, v.Real),
                    _ => raw.sqlite3_bind_int64(row, f + 1, v.Integer),
                };
            }

            raw.sqlite3_bind_int64(row, values.Length + 1, i + 1);
            Step(row, handle);
            if (withResults)
            {
                raw.sqlite3_bind_int64(result, 1, i + 1);
                raw.sqlite3_bind_int64(result, 2, i + 1);
                raw.sqlite3_bind_text(result, 3, samplesNs[i % sample.Count]);
                raw.sqlite3_bind_text(result, 4, samplesTs[i % sample.Count]);
                Step(result, handle);
            }
        }

        raw.sqlite3_finalize(row);
        raw.sqlite3_finalize(result);
        Exec(c, "COMMIT");
        return rows;
    }

    private static byte[] Bytes(Dictionary<string, byte[]> cache, string text) =>
        cache.TryGetValue(text, out var b) ? b : cache[text] = System.Text.Encoding.UTF8.GetBytes(text);

    private static void Step(sqlite3_stmt stmt, sqlite3 db)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc, db);
        }

        raw.sqlite3_reset(stmt);
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
        {
            throw new UnreachableException(raw.sqlite3_errmsg(db).utf8_to_string());
        }
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
