using BenchGate.BackendOps;
using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Storage;

/// <summary>
/// Inputs named by path, at the edge: the core reads streams (and SQLite databases through
/// <see cref="IDatabaseFileReader"/>); here a path is checked, opened and handed over, and its problems named.
/// </summary>
public static class InputFiles
{
    /// <summary>Whether the file is a SQLite database (by its header).</summary>
    public static bool IsSqliteFile(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[16];
        return f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && FormatDetector.IsSqlite(head);
    }

    /// <summary>Ingests a file; SQLite databases are read in place, text formats streamed.</summary>
    public static IngestOutcome IngestFile(this Ingestor ingestor, string path, IngestOptions options)
    {
        Require(path, "a llama-bench output");
        var isDatabase = IsSqliteFile(path);
        if (options.Format == InputFormat.Sqlite || (options.Format == InputFormat.Auto && isDatabase))
        {
            return isDatabase
                ? ingestor.IngestDatabase(path, File.OpenRead(path), options)
                : throw new InputException("--format sqlite was given, but this is not a SQLite database", input: path);
        }

        return ingestor.IngestStream(path, File.OpenRead(path), options);
    }

    /// <summary>
    /// One side of a comparison from a file: a BenchGate database's stored runs when <paramref name="stored"/> and it is
    /// one (their ids and keys as recorded), else any input ingest reads; with <paramref name="compact"/>, each record keeps
    /// only what compare reads (see <see cref="SideLoader.Load"/>).
    /// </summary>
    public static ComparisonSide LoadSide(string path, string? commit, bool stored = false, bool compact = false)
    {
        if (stored && File.Exists(path) && SqliteStoredRuns.TryRead(path, commit) is { } side)
        {
            return side;
        }

        Require(path, "results");
        using var content = File.OpenRead(path);
        return SideLoader.Load(path, content, new SqliteDatabaseFileReader(), commit, compact);
    }

    /// <summary>test-backend-ops perf output from a text file (sql or console).</summary>
    public static List<BackendOpResult> ReadBackendOps(string path)
    {
        Require(path, "test-backend-ops output");
        using var content = File.OpenRead(path);
        return BackendOpsReader.Read(content, path);
    }

    private static void Require(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new InputException(Directory.Exists(path) ? $"is a directory, not {what}" : "no such file", input: path);
        }
    }
}
