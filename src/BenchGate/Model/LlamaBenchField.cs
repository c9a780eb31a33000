namespace BenchGate.Model;

/// <summary>How a canonical field is stored (the SQL column type of llama-bench's table).</summary>
public enum FieldType
{
    Text,
    Integer,
    Real,

    /// <summary>A flag stored as INTEGER 0/1, written as true/false in JSON.</summary>
    Boolean,
}

/// <summary>
/// One field of the canonical llama-bench record (llama-bench at 3f545becc, 2026-08-22).
/// </summary>
/// <param name="Name">Column name, as llama-bench writes it.</param>
/// <param name="Type">Storage type.</param>
/// <param name="Ordinal">Position in the canonical record.</param>
/// <param name="IsKey">Part of the <see cref="BenchmarkKey"/>: rows are comparable only when all key fields match.</param>
/// <param name="Implied">
/// The value a field takes in the key when an older llama-bench did not write it: the behaviour that
/// version had, which equals the later default. Null when no such value exists.
/// </param>
public sealed record LlamaBenchField(string Name, FieldType Type, int Ordinal, bool IsKey, FieldValue Implied)
{
    public string SqlType => Type switch
    {
        FieldType.Text => "TEXT",
        FieldType.Real => "REAL",
        _ => "INTEGER",
    };
}
