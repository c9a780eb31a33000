namespace BenchGate.Ingest;

/// <summary>Reads llama-bench rows out of a database file (implemented by the storage adapter).</summary>
public interface IDatabaseFileReader
{
    /// <summary>The rows of llama_bench (or the pre-2025-08 table test), in insertion order.</summary>
    IEnumerable<RawRecord> Read(string path);
}
