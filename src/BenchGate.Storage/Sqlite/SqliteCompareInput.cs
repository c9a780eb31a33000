using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// A llama-bench database as a compare input: its builds are listed by one GROUP BY, and only the rows of the two
/// compared builds are read (a shared database can hold hundreds of thousands of rows of other builds).
/// </summary>
public sealed class SqliteCompareInput(string path) : ICompareInput
{
    /// <summary>Columns every llama-bench version wrote, which normalisation never rewrites.</summary>
    private static readonly string[] StableColumns = ["n_batch", "n_threads", "model_type", "n_gpu_layers", "cpu_info"];

    public string Name => path;

    private readonly Dictionary<string, Dictionary<string, List<long>?>> _pairs = new(StringComparer.Ordinal);
    // compare asks the same question of the same build several times (choosing it, then reading each side): probe once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _holds = new(StringComparer.Ordinal);
    private IReadOnlyList<StoredCommit>? _commits;

    public IReadOnlyList<StoredCommit> Commits() => _commits ??= ReadCommits();

    /// <summary>One indexed-or-scanned probe that stops at the first row, instead of grouping every row by build.</summary>
    public bool Holds(string commit) => _holds.GetOrAdd(commit, Probe);

    private bool Probe(string commit)
    {
        if (_commits is not null)
        {
            return _commits.Any(c => c.Commit == commit);
        }

        using var c = Open();
        foreach (var (table, where) in Tables(c))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT 1 FROM {table} t WHERE {(where is null ? "" : where + " AND ")}{CommitFilter("t", commit)} LIMIT 1";
            if (cmd.ExecuteScalar() is not null)
            {
                return true;
            }
        }

        return false;
    }

    private List<StoredCommit> ReadCommits()
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

    public IReadOnlyList<RunRecords> Runs(string commit, IReadOnlyCollection<string>? comparedWith = null)
    {
        // BenchGate's own databases keep each row's key, run and samples: read those directly.
        if (SqliteStoredRuns.TryRead(path, commit) is { } side && side.Runs.All(r => r.Records.All(x => x.BuildCommit == commit)))
        {
            return side.Runs;
        }

        using var c = Open();
        var records = new List<BenchmarkRecord>();
        foreach (var (table, where) in Tables(c))
        {
            var filter = (where is null ? "" : where + " AND ") + CommitFilter("t", commit) + Paired(c, table, commit, comparedWith);
            foreach (var (_, raw) in SqliteRowReader.Stream(c, table, filter))
            {
                try
                {
                    records.Add(RecordNormalizer.Normalize(raw, FieldLayout.Detect));
                }
                catch (InputException e)
                {
                    throw e.WithInput(path);
                }
            }
        }

        return ComparisonSide.FromRecords(commit, records, $"{Path.GetFileName(path)}:{commit}").Runs;
    }

    internal static string CommitFilter(string alias, string commit)
    {
        var literal = "'" + commit.Replace("'", "''", StringComparison.Ordinal) + "'";
        return commit == "unknown" ? $"({alias}.build_commit IS NULL OR {alias}.build_commit = {literal})" : $"{alias}.build_commit = {literal}";
    }

    /// <summary>
    /// Leaves out rows that cannot match a row of the other builds (what compare-llama-bench.py's self-join does in
    /// SQLite): a shared database may hold 120,000 rows of which 10,000 compare. One narrow scan finds the rows whose
    /// coarse key — columns every llama-bench version wrote and normalisation never rewrites — occurs on both sides;
    /// only those are read whole and normalised, so no row that could match is left out.
    /// </summary>
    private string Paired(SqliteConnection c, string table, string commit, IReadOnlyCollection<string>? others)
    {
        if (others is null || others.Count == 0 || (others.Count == 1 && others.Contains(commit)))
        {
            return "";
        }

        var cacheKey = $"{table}\u0001{string.Join('\u0001', others.Append(commit).Order(StringComparer.Ordinal))}";
        Dictionary<string, List<long>?>? pairs;
        // Both sides of a comparison are read at once; the first to come scans, the other waits for its result.
        lock (_pairs)
        {
            if (!_pairs.TryGetValue(cacheKey, out pairs))
            {
                _pairs[cacheKey] = pairs = SqliteRowPairing.Scan(c, table, [commit, .. others], StableColumns);
            }
        }

        if (!pairs.TryGetValue(commit, out var rowIds))
        {
            return " AND 0";
        }

        // One JSON text rather than a list of literals: SQLite parsed 60,000 literals in ~0.27 s, the array in ~0.01 s.
        return rowIds is null ? "" : rowIds.Count == 0 ? " AND 0" : $" AND t.rowid IN (SELECT value FROM json_each('[{string.Join(',', rowIds)}]'))";
    }

    private static readonly string[] RequiredColumns = ["build_commit", "avg_ts", "n_prompt", "n_gen"];

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            c.Open();
            if (Tables(c).Count == 0)
            {
                throw new InputException(SqliteRowReader.TableExists(c, "test_backend_ops")
                    ? "this is a test-backend-ops database: compare it with -t test-backend-ops"
                    : "no llama-bench table in this database (expected llama_bench, or test before 2025-08)", input: path);
            }

            // compare tells builds apart by build_commit and reads the measurements: a table without them is not llama-bench's.
            foreach (var (table, _) in Tables(c))
            {
                var columns = SqliteRowReader.Columns(c, table);
                var missing = RequiredColumns.Where(col => !columns.Contains(col)).ToList();
                if (missing.Count > 0)
                {
                    throw new InputException($"table {table} has no {string.Join(", ", missing)} column: not what llama-bench writes, so builds and tests cannot be told apart", input: path);
                }
            }

            return c;
        }
        catch (SqliteException e)
        {
            c.Dispose();
            throw new InputException($"cannot read the database: {e.Message}", input: path);
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
            tables.Add((LlamaBenchSchema.LegacyTableName, SqliteRowReader.Columns(c, LlamaBenchSchema.LegacyTableName).Contains(Schema.LinkColumn) ? $"{Schema.LinkColumn} IS NULL" : null));
        }

        return tables;
    }
}
