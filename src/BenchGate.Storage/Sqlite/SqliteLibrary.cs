using SQLitePCL;

namespace BenchGate.Storage.Sqlite;

/// <summary>Process-wide settings of the SQLite library, made once before the first connection opens.</summary>
public static class SqliteLibrary
{
    private const int ConfigMemStatus = 9; // SQLITE_CONFIG_MEMSTATUS

    private static readonly Lazy<int> Configured = new(Apply);

    /// <summary>
    /// Turns off SQLite's memory statistics. With them on, every allocation inside SQLite takes one process-wide mutex:
    /// compare reads its two sides on two threads, and each side's json_object rows took 0.76 s instead of 0.17 s
    /// (bench/RESULTS.md, issue #18). Call it before any connection opens (the CLI does, first thing); later it is a no-op.
    /// </summary>
    public static void Configure() => _ = Configured.Value;

    private static int Apply()
    {
        Batteries_V2.Init();
        // SQLITE_MISUSE when the library was already initialised (a connection opened first): nothing lost but speed.
        return raw.sqlite3_config(ConfigMemStatus, 0);
    }
}
