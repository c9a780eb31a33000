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
    /// The peaks (rss and gpu) stored for these runs, or under these commits (a saved baseline's runs are copies with
    /// ids of their own), with llama-bench's arguments as their invocation (the program's path left out: two builds'
    /// runs of the same arguments compare). Reading only: a database is not migrated, and one without a memory log
    /// has no peaks.
    /// </summary>
    public static List<RunPeak> RunPeaks(IResultStore store, IReadOnlySet<string> runIds, IReadOnlySet<string> commits) =>
        [.. PeakRows(store).Where(r => runIds.Contains(r.RunId) || (r.Commit is not null && commits.Contains(r.Commit)))
            .Select(r => new RunPeak(r.RunId, r.Detector, Arguments(r.Source), r.Peak))];

    /// <summary>Copies the rss and gpu peaks of <paramref name="runIds"/> from another store, as they are (a baseline saved from a results database).</summary>
    internal static int CopyPeaks(IResultStore from, IReadOnlySet<string> runIds, System.Data.Common.DbConnection to, System.Data.Common.DbTransaction tx) =>
        PeakRows(from).Where(r => runIds.Contains(r.RunId)).Sum(row => AdoStores.Execute(to, tx, """
            INSERT INTO memory_leak_logs (created_at, commit_sha, run_id, source, detector, kind, peak_memory_mb, details)
            VALUES (@at, @c, @run, @src, @det, 'ok', @p, @d)
            """, ("at", row.At), ("c", row.Commit), ("run", row.RunId), ("src", row.Source), ("det", row.Detector), ("p", row.Peak), ("d", row.Details)));

    private sealed record PeakRow(string At, string? Commit, string RunId, string Source, string Detector, double Peak, string? Details);

    /// <summary>Every run's rss and gpu peak, read without migrating (a database without a memory log has none).</summary>
    private static List<PeakRow> PeakRows(IResultStore store)
    {
        var ado = AdoStores.Of(store);
        return ado.Guard<List<PeakRow>>(() => !RunArchive.TableExists(ado.Connection, "memory_leak_logs") ? [] :
            AdoStores.Query(ado.Connection, null, """
                SELECT created_at, commit_sha, run_id, source, detector, peak_memory_mb, details FROM memory_leak_logs
                WHERE detector IN ('rss', 'gpu') AND run_id IS NOT NULL AND peak_memory_mb IS NOT NULL
                """, r => new PeakRow(r.GetString(0), AdoStores.Text(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDouble(5), AdoStores.Text(r, 6))));
    }

    private static string Arguments(string source) => source.IndexOf(' ', StringComparison.Ordinal) is var at and >= 0 ? source[(at + 1)..] : "";
}
