using BenchGate.Storage;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Workflows.Compare;

/// <summary>Tells test-backend-ops output from llama-bench's, for ingest and for compare's tool detection.</summary>
public static class BackendOpsInput
{
    /// <summary>test-backend-ops perf output (sql text, console, or a database it was piped into) rather than llama-bench's.</summary>
    public static bool Is(string path)
    {
        switch (StoreLocation.Of(path).Kind)
        {
            case LocationKind.SqliteFile:
                return SqliteBackendOps.IsBackendOpsDatabase(path);
            case LocationKind.Postgres or LocationKind.Missing:
                return false;
        }

        using var reader = new StreamReader(path);
        var head = new char[4096];
        var text = new string(head, 0, reader.ReadBlock(head));
        return text.Contains("INSERT INTO test_backend_ops", StringComparison.Ordinal) || text.Contains("CREATE TABLE IF NOT EXISTS test_backend_ops", StringComparison.Ordinal)
            || text.Contains(" us/run - ", StringComparison.Ordinal);
    }
}
