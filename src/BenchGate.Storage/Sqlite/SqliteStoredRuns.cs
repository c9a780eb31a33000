using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// Reads the runs of a BenchGate database for detect: only the columns detect uses, with the stored key,
/// run id and samples, instead of re-reading and re-normalising all 40 columns of every row (bench/RESULTS.md).
/// </summary>
public static class SqliteStoredRuns
{
    /// <summary>The side, or null when the file is not a BenchGate database whose rows are all adopted.</summary>
    public static ComparisonSide? TryRead(string path, string? commit) => TryOpen(path, c => Read(c, path, commit));

    /// <summary>As <see cref="TryRead"/>, with every llama_bench column, extras and samples (to copy runs into another database).</summary>
    public static ComparisonSide? TryReadComplete(string path, string? commit) => TryOpen(path, c =>
    {
        var runs = Shared.RunArchive.Read(c, LlamaBenchSchema.Fields, Shared.RunArchive.CommitFilter, ("c", commit));
        return runs.Count == 0 ? null : new ComparisonSide(commit is null ? Path.GetFileName(path) : $"{commit} ({Path.GetFileName(path)})", runs);
    });

    /// <summary>Runs <paramref name="read"/> on the file read-only when it is a BenchGate database whose rows are all adopted; else null.</summary>
    private static ComparisonSide? TryOpen(string path, Func<SqliteConnection, ComparisonSide?> read)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var c = new SqliteConnection(cs);
        try
        {
            c.Open();
            // Rows llama-bench wrote and BenchGate has not adopted have no stored key: read those the long way.
            if (!SqliteRowReader.TableExists(c, "benchgate_results") || !SqliteRowReader.Columns(c, "llama_bench").Contains(Schema.LinkColumn)
                || Scalar(c, $"SELECT COUNT(*) FROM llama_bench WHERE {Schema.LinkColumn} IS NULL") > 0
                || (SqliteRowReader.TableExists(c, "test")
                    && (!SqliteRowReader.Columns(c, "test").Contains(Schema.LinkColumn) || Scalar(c, $"SELECT COUNT(*) FROM test WHERE {Schema.LinkColumn} IS NULL") > 0)))
            {
                return null;
            }

            return read(c);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    private static ComparisonSide? Read(SqliteConnection c, string path, string? commit)
    {
        // The archive's reader: SQLitePCL directly, keys read once, and only the fields detect uses kept per row.
        var runs = Shared.RunArchive.Read(c, Shared.RunArchive.DetectFields, Shared.RunArchive.CommitFilter, ("c", commit));
        var name = Path.GetFileName(path);
        if (runs.Count == 0)
        {
            if (commit is not null)
            {
                throw new InputException(HeldCommits.NoRunsOf(commit, Shared.RunArchive.HeldCommits(c)), input: path);
            }

            return null;
        }

        return new ComparisonSide(commit is null ? name : $"{commit} ({name})", runs);
    }

    private static long Scalar(SqliteConnection c, string sql) => Shared.AdoStores.ScalarInt64(c, null, sql);
}
