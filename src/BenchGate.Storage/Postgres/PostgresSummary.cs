using System.Globalization;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary><c>benchgate show</c> on PostgreSQL.</summary>
internal static class PostgresSummary
{
    public static StoreSummary Read(PostgresResultStore store)
    {
        var (c, location) = (store.Connection, store.Location);
        var version = PostgresMigrator.CurrentVersion(c, null);
        if (version == 0)
        {
            return new StoreSummary(location, 0, 0, 0, [], [], [], []);
        }

        var unmanaged = Scalar(c, "SELECT COUNT(*) FROM llama_bench WHERE benchgate_result_id IS NULL");
        return Shared.StoreSummaries.Read(store, version, unmanaged);
    }

    internal static long Scalar(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
