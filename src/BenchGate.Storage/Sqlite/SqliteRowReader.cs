using BenchGate.Ingest;
using BenchGate.Model;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>Reads llama-bench rows (table llama_bench or test) as <see cref="RawRecord"/>s, in rowid order.</summary>
internal static class SqliteRowReader
{
    public static bool TableExists(SqliteConnection c, string table, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $n";
        cmd.Parameters.AddWithValue("$n", table);
        return cmd.ExecuteScalar() is not null;
    }

    public static List<string> Columns(SqliteConnection c, string table, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read())
        {
            names.Add(r.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// Rows of <paramref name="table"/> with rowid above <paramref name="afterRowId"/>, at most
    /// <paramref name="limit"/>; with samples when the database is one of ours.
    /// </summary>
    public static List<(long RowId, RawRecord Record)> Read(SqliteConnection c, string table, string? where, long afterRowId, int limit, SqliteTransaction? tx = null)
    {
        var withSamples = table == LlamaBenchSchema.TableName && TableExists(c, "benchgate_results", tx)
            && Columns(c, table, tx).Contains(SqliteSchema.LinkColumn);
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = withSamples
            ? $"SELECT t.rowid AS benchgate_rowid, r.samples_ns AS benchgate_samples_ns, r.samples_ts AS benchgate_samples_ts, t.* FROM {table} t LEFT JOIN benchgate_results r ON r.result_id = t.{SqliteSchema.LinkColumn} WHERE t.rowid > $after {(where is null ? "" : "AND " + where)} ORDER BY t.rowid LIMIT $limit"
            : $"SELECT rowid AS benchgate_rowid, NULL AS benchgate_samples_ns, NULL AS benchgate_samples_ts, * FROM {table} WHERE rowid > $after {(where is null ? "" : "AND " + where)} ORDER BY rowid LIMIT $limit";
        cmd.Parameters.AddWithValue("$after", afterRowId);
        cmd.Parameters.AddWithValue("$limit", limit);
        using var r = cmd.ExecuteReader();
        var rows = new List<(long, RawRecord)>();
        var row = 0;
        while (r.Read())
        {
            row++;
            var rowId = r.GetInt64(0);
            var record = new RawRecord((int)Math.Min(int.MaxValue, rowId)) { LocationUnit = $"table {table}, rowid" };
            for (var i = 3; i < r.FieldCount; i++)
            {
                var name = r.GetName(i);
                if (name == SqliteSchema.LinkColumn)
                {
                    continue;
                }

                record.Add(name, Value(r, i));
            }

            if (!r.IsDBNull(1))
            {
                record.SamplesNs = ParseArray(r.GetString(1));
            }

            if (!r.IsDBNull(2))
            {
                record.SamplesTs = ParseArray(r.GetString(2));
            }

            rows.Add((rowId, record));
        }

        return rows;
    }

    private static FieldValue Value(SqliteDataReader r, int i)
    {
        if (r.IsDBNull(i))
        {
            return FieldValue.Null;
        }

        return r.GetFieldType(i) switch
        {
            var t when t == typeof(long) => FieldValue.FromInteger(r.GetInt64(i)),
            var t when t == typeof(double) => FieldValue.FromReal(r.GetDouble(i)),
            var t when t == typeof(byte[]) => FieldValue.FromText(Convert.ToBase64String((byte[])r.GetValue(i))),
            _ => FieldValue.FromText(r.GetString(i)),
        };
    }

    private static double[] ParseArray(string json) => System.Text.Json.JsonSerializer.Deserialize<double[]>(json) ?? [];
}
