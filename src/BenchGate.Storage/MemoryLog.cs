using System.Globalization;
using BenchGate.Memory;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage;

/// <summary>memcheck's findings in the spec's memory_leak_logs (SQLite or PostgreSQL), and the peak memory of earlier commits for comparison.</summary>
public sealed class MemoryLog
{
    private readonly IAdoStore _store;

    public MemoryLog(IResultStore store)
    {
        _store = AdoStores.Of(store);
        _store.EnsureMigrated();
    }

    /// <summary>Stores every finding in one transaction.</summary>
    public void Record(IReadOnlyList<MemoryFinding> findings, string? commit, string? runId, DateTimeOffset now) => _store.Guard(() =>
    {
        using var tx = _store.Connection.BeginTransaction();
        var at = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var f in findings)
        {
            AdoStores.Execute(_store.Connection, tx, """
                INSERT INTO memory_leak_logs (created_at, commit_sha, run_id, source, test_name, detector, kind, initial_memory_mb, final_memory_mb,
                  peak_memory_mb, leaked_mb, leaked_bytes, leaked_objects, memory_status, details)
                VALUES (@at, @c, @run, @src, @test, @det, @kind, @i, @f, @p, @l, @lb, @lo, @st, @d)
                """, ("at", at), ("c", commit), ("run", runId), ("src", f.Source), ("test", f.TestName), ("det", f.Detector), ("kind", f.Kind.ToString().ToLowerInvariant()),
                ("i", AdoStores.Value(f.InitialMb)), ("f", AdoStores.Value(f.FinalMb)), ("p", AdoStores.Value(f.PeakMb)), ("l", AdoStores.Value(f.LeakedMb)),
                ("lb", f.LeakedBytes), ("lo", f.LeakedObjects), ("st", f.MemoryStatus is { } s ? (long)s : null), ("d", f.Details));
        }

        tx.Commit();
        return 0;
    });

    /// <summary>Peak memory (MB) of each measured run of a source at a commit (prefix), one value per run: RSS, or GPU memory with detector "gpu".</summary>
    public List<double> Peaks(string source, string commit, string detector = "rss") => _store.Guard(() => AdoStores.Query(_store.Connection, null, """
        SELECT MAX(peak_memory_mb) FROM memory_leak_logs
        WHERE detector = @d AND source = @s AND peak_memory_mb IS NOT NULL AND (commit_sha LIKE @c || '%' OR @c LIKE commit_sha || '%')
        GROUP BY COALESCE(run_id, CAST(id AS TEXT))
        """, r => r.GetDouble(0), ("s", source), ("c", commit), ("d", detector)));

    /// <summary>
    /// The peaks (rss and gpu) stored for these runs, with llama-bench's arguments as their invocation (the program's
    /// path left out: two builds' runs of the same arguments compare); none where the database holds no memory log.
    /// </summary>
    public List<RunPeak> RunPeaks(IReadOnlySet<string> runIds) => _store.Guard<List<RunPeak>>(() => !RunArchive.TableExists(_store.Connection, "memory_leak_logs") ? [] :
        [.. AdoStores.Query(_store.Connection, null, """
            SELECT run_id, detector, source, peak_memory_mb FROM memory_leak_logs
            WHERE detector IN ('rss', 'gpu') AND run_id IS NOT NULL AND peak_memory_mb IS NOT NULL
            """, r => new RunPeak(r.GetString(0), r.GetString(1), Arguments(r.GetString(2)), r.GetDouble(3)))
            .Where(p => runIds.Contains(p.RunId))]);

    private static string Arguments(string source) => source.IndexOf(' ', StringComparison.Ordinal) is var at and >= 0 ? source[(at + 1)..] : "";
}
