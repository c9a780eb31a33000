using System.Globalization;

namespace BenchGate.Model;

/// <summary>The kind of a value as it was read from an input, before it is typed by the schema.</summary>
public enum ValueKind
{
    Null,
    Text,
    Integer,
    Real,
    Boolean,
}

/// <summary>
/// One field value without boxing: llama-bench writes ~40 fields per row and ingest must sustain
/// 100,000 rows/s, so values are kept in a small struct instead of <see cref="object"/>.
/// </summary>
public readonly record struct FieldValue(ValueKind Kind, long Integer, double Real, string? Text)
{
    public static FieldValue Null => default;

    public static FieldValue FromText(string? text) => text is null ? Null : new(ValueKind.Text, 0, 0, text);

    public static FieldValue FromInteger(long value) => new(ValueKind.Integer, value, 0, null);

    public static FieldValue FromReal(double value) => new(ValueKind.Real, 0, value, null);

    public static FieldValue FromBoolean(bool value) => new(ValueKind.Boolean, value ? 1 : 0, 0, null);

    public bool IsNull => Kind == ValueKind.Null;

    /// <summary>The value as a CLR object (string, long, double) for database parameters and JSON.</summary>
    public object? ToObject() => Kind switch
    {
        ValueKind.Null => null,
        ValueKind.Text => Text,
        ValueKind.Integer or ValueKind.Boolean => Integer,
        ValueKind.Real => Real,
        _ => null,
    };

    /// <summary>Invariant text form, as llama-bench's own printers would write it.</summary>
    public override string ToString() => Kind switch
    {
        ValueKind.Null => "",
        ValueKind.Text => Text!,
        ValueKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        ValueKind.Boolean => Integer != 0 ? "true" : "false",
        ValueKind.Real => Real.ToString("R", CultureInfo.InvariantCulture),
        _ => "",
    };
}
