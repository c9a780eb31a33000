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
                throw new InputException("no test_backend_ops table in this database (is it llama-bench output? then leave out -t test-backend-ops)", input: path);
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
            throw new InputException($"cannot read the database: {e.Message}", input: path);
        }
        catch (InputException e)
        {
            throw e.WithInput(path);
        }
    }

    /// <summary>Appends rows to test_backend_ops (created as test-backend-ops creates it) inside the caller's transaction.</summary>
    internal static void Write(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<BackendOpResult> rows)
    {
        // The table as test-backend-ops creates it, so `test-backend-ops perf --output sql | sqlite3 db` and ingest agree.
        using (var create = c.CreateCommand())
        {
            create.Transaction = tx;
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS test_backend_ops (
                  test_time TEXT, build_commit TEXT, backend_name TEXT, op_name TEXT, op_params TEXT, test_mode TEXT, supported INTEGER,
                  passed INTEGER, error_message TEXT, time_us REAL, flops REAL, bandwidth_gb_s REAL, memory_kb INTEGER, n_runs INTEGER,
                  device_description TEXT, backend_reg_name TEXT)
                """;
            create.ExecuteNonQuery();
        }

        using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO test_backend_ops (test_time, build_commit, backend_name, op_name, op_params, test_mode, supported, passed, error_message,
              time_us, flops, bandwidth_gb_s, memory_kb, n_runs)
            VALUES ($t, $c, $b, $o, $p, $m, $s, $ok, '', $us, $f, $bw, $kb, $n)
            """;
        foreach (var r in rows)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$t", r.TestTime);
            insert.Parameters.AddWithValue("$c", r.BuildCommit);
            insert.Parameters.AddWithValue("$b", r.Backend);
            insert.Parameters.AddWithValue("$o", r.Op);
            insert.Parameters.AddWithValue("$p", r.Params);
            insert.Parameters.AddWithValue("$m", r.Mode);
            insert.Parameters.AddWithValue("$s", r.Supported ? 1 : 0);
            insert.Parameters.AddWithValue("$ok", r.Passed ? 1 : 0);
            insert.Parameters.AddWithValue("$us", r.TimeUs);
            insert.Parameters.AddWithValue("$f", r.Flops);
            insert.Parameters.AddWithValue("$bw", r.BandwidthGbS);
            insert.Parameters.AddWithValue("$kb", r.MemoryKb);
            insert.Parameters.AddWithValue("$n", r.Runs);
            insert.ExecuteNonQuery();
        }
    }
}
