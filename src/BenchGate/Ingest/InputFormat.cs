namespace BenchGate.Ingest;

/// <summary>The llama-bench output formats BenchGate reads.</summary>
public enum InputFormat
{
    Auto,

    /// <summary>A database made by <c>llama-bench -o sql | sqlite3 db</c> (table llama_bench, or test before 2025-08).</summary>
    Sqlite,

    /// <summary>The text of <c>llama-bench -o sql</c>.</summary>
    Sql,
    Json,
    Jsonl,
    Csv,
    Md,
}
