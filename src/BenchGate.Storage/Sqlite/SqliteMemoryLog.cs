using System.Globalization;
using BenchGate.Memory;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>memcheck's findings in the spec's memory_leak_logs, and the peak memory of earlier commits for comparison.</summary>
public sealed class SqliteMemoryLog(SqliteResultStore store)
{
    /// <summary>Stores every finding in one transaction.</summary>
    public void Record(IReadOnlyList<MemoryFinding> findings, string? commit, string? runId, DateTimeOffset now)
    {
        store.Migrate();
        using var tx = store.Connection.BeginTransaction();
        using var cmd = store.Connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO memory_leak_logs (created_at, commit_sha, run_id, source, test_name, detector, kind, initial_memory_mb, final_memory_mb,
              peak_memory_mb, leaked_mb, leaked_bytes, leaked_objects, memory_status, details)
            VALUES ($at, $c, $run, $src, $test, $det, $kind, $i, $f, $p, $l, $lb, $lo, $st, $d)
            """;
        var at = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var f in findings)
        {
            cmd.Parameters.Clear();
            Add(cmd, "$at", at);
            Add(cmd, "$c", commit);
            Add(cmd, "$run", runId);
            Add(cmd, "$src", f.Source);
            Add(cmd, "$test", f.TestName);
            Add(cmd, "$det", f.Detector);
            Add(cmd, "$kind", f.Kind.ToString().ToLowerInvariant());
            Add(cmd, "$i", f.InitialMb);
            Add(cmd, "$f", f.FinalMb);
            Add(cmd, "$p", f.PeakMb);
            Add(cmd, "$l", f.LeakedMb);
            Add(cmd, "$lb", f.LeakedBytes);
            Add(cmd, "$lo", f.LeakedObjects);
            Add(cmd, "$st", f.MemoryStatus);
            Add(cmd, "$d", f.Details);
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
    }

    /// <summary>Peak memory (MB) of each measured run of a source at a commit (prefix), one value per run.</summary>
    public List<double> Peaks(string source, string commit)
    {
        store.Migrate();
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = """
            SELECT MAX(peak_memory_mb) FROM memory_leak_logs
            WHERE detector = 'rss' AND source = $s AND peak_memory_mb IS NOT NULL AND (commit_sha LIKE $c || '%' OR $c LIKE commit_sha || '%')
            GROUP BY COALESCE(run_id, CAST(id AS TEXT))
            """;
        cmd.Parameters.AddWithValue("$s", source);
        cmd.Parameters.AddWithValue("$c", commit);
        using var r = cmd.ExecuteReader();
        var peaks = new List<double>();
        while (r.Read())
        {
            peaks.Add(r.GetDouble(0));
        }

        return peaks;
    }

    private static void Add(SqliteCommand cmd, string name, object? value) =>
        cmd.Parameters.AddWithValue(name, value switch
        {
            null => DBNull.Value,
            double d when !double.IsFinite(d) => DBNull.Value,
            _ => value,
        });
}
