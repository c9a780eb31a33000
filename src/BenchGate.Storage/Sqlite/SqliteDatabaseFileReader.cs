using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>Reads the llama-bench rows of a database file made by <c>llama-bench -o sql | sqlite3</c> (or by BenchGate).</summary>
public sealed class SqliteDatabaseFileReader : IDatabaseFileReader
{
    private const int Batch = 10_000;

    public IEnumerable<RawRecord> Read(string path)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var c = new SqliteConnection(cs);
        List<string> tables;
        try
        {
            c.Open();
            tables = [.. new[] { LlamaBenchSchema.LegacyTableName, LlamaBenchSchema.TableName }.Where(t => SqliteRowReader.TableExists(c, t))];
        }
        catch (SqliteException e)
        {
            throw new InputException($"cannot read the database: {e.Message}", input: path);
        }

        if (tables.Count == 0)
        {
            var found = ListTables(c);
            throw new InputException(found.Contains("test_backend_ops")
                ? "this is a test-backend-ops database (table test_backend_ops), not llama-bench output"
                : $"no llama-bench table in this database (expected llama_bench, or test before 2025-08); it has: {(found.Count == 0 ? "no tables" : string.Join(", ", found))}", input: path);
        }

        foreach (var table in tables)
        {
            // Rows of a legacy table that BenchGate already copied into llama_bench are read from there.
            var where = table == LlamaBenchSchema.LegacyTableName && SqliteRowReader.Columns(c, table).Contains(Schema.LinkColumn)
                ? $"{Schema.LinkColumn} IS NULL" : null;
            long after = 0;
            while (true)
            {
                var rows = SqliteRowReader.Read(c, table, where, after, Batch);
                foreach (var (rowId, record) in rows)
                {
                    after = rowId;
                    yield return record;
                }

                if (rows.Count < Batch)
                {
                    break;
                }
            }
        }
    }

    private static List<string> ListTables(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read())
        {
            names.Add(r.GetString(0));
        }

        return names;
    }
}
