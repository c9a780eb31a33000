using BenchGate.Ingest;

namespace BenchGate.Tests.Compare;

/// <summary>For tests that read text formats only: the core has no SQLite reader.</summary>
internal sealed class TextOnlyReader : IDatabaseFileReader
{
    public IEnumerable<RawRecord> Read(string path) => throw new InvalidOperationException("not a text input: " + path);
}
