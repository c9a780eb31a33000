using BenchGate.BackendOps;
using BenchGate.Compare;
using BenchGate.Storage;
using BenchGate.Storage.Postgres;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Workflows.Compare;

/// <summary>Finds, recognises and opens compare's inputs.</summary>
public static class CompareInputs
{
    /// <summary>compare-llama-bench.py's defaults: ./llama-bench.sqlite (./test-backend-ops.sqlite), else the only *.sqlite here.</summary>
    public static IReadOnlyList<string> OrDefault(IReadOnlyList<string> inputs, string? tool)
    {
        if (inputs.Count > 0)
        {
            return inputs;
        }

        var preferred = tool == "test-backend-ops" ? "test-backend-ops.sqlite" : "llama-bench.sqlite";
        if (File.Exists(preferred))
        {
            return [preferred];
        }

        var all = Directory.GetFiles(".", "*.sqlite");
        return all.Length == 1
            ? [Path.GetFileName(all[0])]
            : throw new InputException($"cannot find a suitable input file: give one with -i (no {preferred} here{(all.Length > 1 ? $", and {all.Length} *.sqlite files" : "")})");
    }

    /// <summary>test-backend-ops when an input is its output (table test_backend_ops, or its console lines), else llama-bench.</summary>
    public static string DetectTool(IReadOnlyList<string> inputs) =>
        inputs.Any(BackendOpsInput.Is) ? "test-backend-ops" : "llama-bench";

    public static ICompareInput OpenLlamaBench(string path)
    {
        return StoreLocation.Of(path).Kind switch
        {
            LocationKind.Postgres => new PostgresCompareInput(path),
            LocationKind.SqliteFile => new SqliteCompareInput(path),
            LocationKind.Missing => throw new InputException("no such file", input: path),
            _ => new InMemoryCompareInput(path, InputFiles.LoadSide(path, null, compact: true).Runs),
        };
    }

    public static List<BackendOpResult> ReadBackendOps(string path) =>
        StoreLocation.Of(path) switch
        {
            { IsPostgres: true } pg => throw new InputException("test-backend-ops results are compared from their files or a SQLite database; read them from PostgreSQL with psql", input: pg.Display),
            { Kind: LocationKind.SqliteFile } => SqliteBackendOps.Read(path),
            _ => InputFiles.ReadBackendOps(path),
        };
}
