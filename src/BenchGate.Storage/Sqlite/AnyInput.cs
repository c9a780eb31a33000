using BenchGate.Ingest;

namespace BenchGate.Storage.Sqlite;

/// <summary>Normalised records of any input ingest reads, whole (for copying a baseline in from a file).</summary>
internal static class AnyInput
{
    /// <summary>The rows of any input ingest reads: a database, or json, jsonl, csv, md or sql text.</summary>
    public static List<Model.BenchmarkRecord> Records(string path)
    {
        if (!File.Exists(path))
        {
            throw new IngestException("no such file", source: path);
        }

        if (FormatDetector.IsSqliteFile(path))
        {
            return [.. new SqliteDatabaseFileReader().Read(path).Select(RecordNormalizer.Normalize)];
        }

        try
        {
            using var stream = File.OpenRead(path);
            var head = new byte[FormatDetector.PrefixLength];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            return [.. TextFormatReaders.Open(FormatDetector.Detect(head.AsSpan(0, n)), stream).Select(RecordNormalizer.Normalize)];
        }
        catch (IngestException e)
        {
            throw e.WithSource(path);
        }
    }
}
