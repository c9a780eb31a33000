using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>Reads llama-bench output into normalised records without storing it (bisect keeps the values of the runs it stores).</summary>
public static class RecordReader
{
    public static IReadOnlyList<BenchmarkRecord> Read(InputFormat format, Stream stream) =>
        [.. RecordPipeline.Normalised(TextFormatReaders.Open(format, stream))];
}
