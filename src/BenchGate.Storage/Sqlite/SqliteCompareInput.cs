using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Model;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// A llama-bench database as a compare input: its builds are listed by one GROUP BY, and only the rows of the two
/// compared builds are read (a shared database can hold hundreds of thousands of rows of other builds).
/// </summary>
public sealed class SqliteCompareInput(string path) : ICompareInput
{
    public string Name => path;

    public IReadOnlyList<StoredCommit> Commits()
    {
        using var c = Open();
        var parts = Tables(c).Select(t => $"SELECT build_commit, test_time, build_number FROM {t.Name}{(t.Where is null ? "" : " WHERE " + t.Where)}").ToList();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"""
            SELECT COALESCE(build_commit, 'unknown'), MAX(COALESCE(test_time, '')), MAX(build_number), COUNT(*)
            FROM ({string.Join(" UNION ALL ", parts)}) GROUP BY 1
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<StoredCommit>();
        while (r.Read())
        {
            list.Add(new StoredCommit(r.GetString(0), r.GetValue(1) as string ?? "", r.IsDBNull(2) ? null : r.GetInt64(2), r.GetInt64(3)));
        }

        return list;
    }

    public IReadOnlyList<RunRecords> Runs(string commit)
    {
        // BenchGate's own databases keep each row's key, run and samples: read those directly.
        if (new SqliteStoredRuns().TryRead(path, commit) is { } side && side.Runs.All(r => r.Records.All(x => x.BuildCommit == commit)))
        {
            return side.Runs;
        }

        using var c = Open();
        var records = new List<BenchmarkRecord>();
        var literal = "'" + commit.Replace("'", "''", StringComparison.Ordinal) + "'";
        foreach (var (table, where) in Tables(c))
        {
            var filter = (where is null ? "" : where + " AND ") + (commit == "unknown" ? $"(build_commit IS NULL OR build_commit = {literal})" : $"build_commit = {literal}");
            long after = 0;
            while (true)
            {
                var rows = SqliteRowReader.Read(c, table, filter, after, 10_000);
                foreach (var (rowId, raw) in rows)
                {
                    after = rowId;
                    try
                    {
                        records.Add(RecordNormalizer.Normalize(raw));
                    }
                    catch (IngestException e)
                    {
                        throw e.WithSource(path);
                    }
                }

                if (rows.Count < 10_000)
                {
                    break;
                }
            }
        }

        return ComparisonSide.FromRecords(commit, records, $"{Path.GetFileName(path)}:{commit}").Runs;
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            c.Open();
            if (Tables(c).Count == 0)
            {
                throw new IngestException(SqliteRowReader.TableExists(c, "test_backend_ops")
                    ? "this is a test-backend-ops database: compare it with -t test-backend-ops"
                    : "no llama-bench table in this database (expected llama_bench, or test before 2025-08)", source: path);
            }

            return c;
        }
        catch (SqliteException e)
        {
            c.Dispose();
            throw new IngestException($"cannot read the database: {e.Message}", source: path);
        }
    }

    private static List<(string Name, string? Where)> Tables(SqliteConnection c)
    {
        var tables = new List<(string, string?)>();
        if (SqliteRowReader.TableExists(c, LlamaBenchSchema.TableName))
        {
            tables.Add((LlamaBenchSchema.TableName, null));
        }

        // Rows of a pre-2025-08 `test` table that BenchGate already copied into llama_bench are read from there.
        if (SqliteRowReader.TableExists(c, LlamaBenchSchema.LegacyTableName))
        {
            tables.Add((LlamaBenchSchema.LegacyTableName, SqliteRowReader.Columns(c, LlamaBenchSchema.LegacyTableName).Contains(SqliteSchema.LinkColumn) ? $"{SqliteSchema.LinkColumn} IS NULL" : null));
        }

        return tables;
    }
}
