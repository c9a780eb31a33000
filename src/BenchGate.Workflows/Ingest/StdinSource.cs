using BenchGate.Ingest;
using BenchGate.Storage;

namespace BenchGate.Workflows.Ingest;

/// <summary>
/// stdin for <c>llama-bench -o jsonl | benchgate ingest -</c>: text streams straight through; a SQLite
/// database (which can only be opened as a file) is first copied to a temporary file.
/// </summary>
internal static class StdinSource
{
    public static IngestOutcome Ingest(Ingestor ingestor, Stream stdin, IngestOptions options)
    {
        var head = new byte[FormatDetector.SqliteHeader.Length];
        var n = stdin.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var stream = new PrefixedStream(head[..n], stdin);
        if (!FormatDetector.IsSqlite(head.AsSpan(0, n)))
        {
            return ingestor.IngestStream("-", stream, options);
        }

        var temp = Path.Combine(Path.GetTempPath(), $"benchgate-stdin-{Guid.NewGuid():N}.sqlite");
        try
        {
            using (var file = File.Create(temp))
            {
                stream.CopyTo(file);
            }

            return ingestor.IngestFile(temp, options) with { Source = "-" };
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(temp);
        }
    }
}
