using SQLitePCL;

namespace BenchGate.Storage.Sqlite;

/// <summary>Process-wide settings of the SQLite library, made once before the first connection opens.</summary>
public static class SqliteLibrary
{
    private const int ConfigMultiThread = 2; // SQLITE_CONFIG_MULTITHREAD
    private const int ConfigMemStatus = 9; // SQLITE_CONFIG_MEMSTATUS
    private const int ConfigStatementJournalSpill = 26; // SQLITE_CONFIG_STMTJRNL_SPILL

    // ingest holds a savepoint open for each source (a duplicate is rolled back to it), and under it every statement's
    // journal goes to the savepoint's sub-journal file once that passes SQLite's default 64 KiB: 55,000 of 71,000 pwrite
    // calls of a 40,000-row ingest, 4.4 → 3.6 s for 300,000 rows (bench/RESULTS.md, issue #18). It holds the pages
    // that existed before the savepoint and that the source changes: on a large store a writer's memory can grow by up
    // to this much (per journal, one writing connection at a time) before it spills to a file as before.
    private const int StatementJournalSpillBytes = 64 << 20;

    private static readonly Lazy<int> Configured = new(Apply);

    /// <summary>
    /// Keeps statement journals in memory up to 64 MiB, leaves out the per-call connection mutex (multi-thread mode), and
    /// turns off SQLite's memory statistics. With statistics on, every allocation inside SQLite takes one process-wide
    /// mutex: compare reads its two sides on two threads, and each side's json_object rows took 0.76 s instead of 0.17 s
    /// (bench/RESULTS.md, issue #18). Call it before any connection opens (the CLI does, first thing); later it is a no-op.
    /// </summary>
    public static void Configure() => _ = Configured.Value;

    private static int Apply()
    {
        Batteries_V2.Init();
        // SQLITE_MISUSE when the library was already initialised (a connection opened first): nothing lost but speed.
        raw.sqlite3_config(ConfigStatementJournalSpill, StatementJournalSpillBytes);
        // Serialized mode locks a connection's mutex on every call (each column read, each bound value): 9% of a large
        // compare's samples. No connection is used by two threads at once (ADO.NET connections are not thread-safe,
        // and every parallel reader opens its own), which is all multi-thread mode asks. It also asks that no statement
        // be left to the finalizer thread: every command, reader and prepared statement here is disposed by its owner.
        raw.sqlite3_config(ConfigMultiThread);
        return raw.sqlite3_config(ConfigMemStatus, 0);
    }
}
