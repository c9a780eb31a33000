using BenchGate.BackendOps;
using BenchGate.Ingest;
using BenchGate.Model;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>Reads the test_backend_ops table that <c>test-backend-ops perf --output sql | sqlite3 db</c> fills.</summary>
public static class SqliteBackendOps
{
    /// <summary>Whether the database holds test-backend-ops results and no llama-bench ones.</summary>
    public static bool IsBackendOpsDatabase(string path)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            c.Open();
            return SqliteRowReader.TableExists(c, "test_backend_ops") && !SqliteRowReader.TableExists(c, LlamaBenchSchema.TableName) && !SqliteRowReader.TableExists(c, LlamaBenchSchema.LegacyTableName);
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public static List<BackendOpResult> Read(string path)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            c.Open();
            if (!SqliteRowReader.TableExists(c, "test_backend_ops"))
            {
                throw new IngestException("no test_backend_ops table in this database (is it llama-bench output? then leave out -t test-backend-ops)", source: path);
            }

            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT * FROM test_backend_ops ORDER BY rowid";
            using var r = cmd.ExecuteReader();
            var rows = new List<BackendOpResult>();
            var line = 0;
            while (r.Read())
            {
                var raw = new RawRecord(++line) { LocationUnit = "row" };
                for (var i = 0; i < r.FieldCount; i++)
                {
                    raw.Add(r.GetName(i), r.IsDBNull(i) ? FieldValue.Null : r.GetValue(i) switch
                    {
                        long l => FieldValue.FromInteger(l),
                        double d => FieldValue.FromReal(d),
                        var o => FieldValue.FromText(Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture)),
                    });
                }

                rows.Add(BackendOpsReader.FromRow(raw));
            }

            return rows;
        }
        catch (SqliteException e)
        {
            throw new IngestException($"cannot read the database: {e.Message}", source: path);
        }
        catch (IngestException e)
        {
            throw e.WithSource(path);
        }
    }
}
