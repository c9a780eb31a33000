using BenchGate.Dashboard;
using BenchGate.Storage.Shared;

namespace BenchGate.Storage;

/// <summary>Every row of memory_leak_logs, oldest first, read without writing (a database without the table has none).</summary>
public sealed class MemoryHistory(IResultStore store)
{
    private readonly IAdoStore _store = AdoStores.Of(store);

    public List<MemoryEntry> All() => _store.Guard(() => !RunArchive.TableExists(_store.Connection, "memory_leak_logs") ? [] :
        AdoStores.Query(_store.Connection, null, """
            SELECT commit_sha, run_id, source, detector, kind, peak_memory_mb, leaked_mb, created_at, details
            FROM memory_leak_logs ORDER BY created_at, id
            """, r => new MemoryEntry(RunArchive.Str(r, 0), RunArchive.Str(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), Megabytes(r, 5), Megabytes(r, 6), r.GetString(7), RunArchive.Str(r, 8))));

    private static double? Megabytes(System.Data.Common.DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
