using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary><c>benchgate show</c> on a SQLite file: a file llama-bench wrote and BenchGate never migrated is summarised by its row count.</summary>
internal static class SqliteSummary
{
    public static StoreSummary Read(SqliteResultStore store)
    {
        var (c, location) = (store.Connection, store.Location);
        var version = SqliteMigrator.CurrentVersion(c, null);
        if (version == 0)
        {
            var lbRows = SqliteRowReader.TableExists(c, "llama_bench") ? Scalar(c, "SELECT COUNT(*) FROM llama_bench") : 0;
            var testRows = SqliteRowReader.TableExists(c, "test") ? Scalar(c, "SELECT COUNT(*) FROM test") : 0;
            return new StoreSummary(location, 0, lbRows + testRows, lbRows + testRows, [], [], [], []);
        }

        var unmanaged = Scalar(c, $"SELECT COUNT(*) FROM llama_bench WHERE {Schema.LinkColumn} IS NULL")
            + (SqliteRowReader.TableExists(c, "test") ? Scalar(c, $"SELECT COUNT(*) FROM test WHERE {Schema.LinkColumn} IS NULL") : 0);
        return Shared.StoreSummaries.Read(store, version, unmanaged);
    }

    private static long Scalar(SqliteConnection c, string sql) => Shared.AdoStores.ScalarInt64(c, null, sql);
}
