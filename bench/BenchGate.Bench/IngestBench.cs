using BenchGate.Ingest;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Bench;

/// <summary>The measured work: the same code path as <c>benchgate ingest</c>.</summary>
internal static class IngestBench
{
    public static long ParseOnly(string input)
    {
        long n = 0;
        using var stream = File.OpenRead(input);
        foreach (var raw in TextFormatReaders.Open(InputFormat.Jsonl, stream))
        {
            _ = RecordNormalizer.Normalize(raw);
            n++;
        }

        return n;
    }

    public static long Ingest(string input, string db)
    {
        using var store = SqliteResultStore.Open(db);
        using var tx = store.BeginIngest();
        var outcome = new Ingestor(tx, new SqliteDatabaseFileReader()).IngestFile(input, new IngestOptions());
        tx.Commit();
        return outcome.Rows;
    }
}
