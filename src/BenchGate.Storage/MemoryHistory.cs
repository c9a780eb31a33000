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
            """, r => new MemoryEntry(AdoStores.Text(r, 0), AdoStores.Text(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), AdoStores.Real(r, 5), AdoStores.Real(r, 6),
                r.GetString(7), AdoStores.Text(r, 8))));
}
