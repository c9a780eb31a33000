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
/// 100,000 rows/s, so values are kept in a 24-byte struct instead of <see cref="object"/>
/// (integers and reals share one 8-byte slot).
/// </summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly long _bits;

    private FieldValue(ValueKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        Text = text;
    }

    public static FieldValue Null => default;

    public ValueKind Kind { get; }

    /// <summary>The value of an Integer or Boolean (0/1).</summary>
    public long Integer => Kind == ValueKind.Real ? 0 : _bits;

    /// <summary>The value of a Real.</summary>
    public double Real => Kind == ValueKind.Real ? BitConverter.Int64BitsToDouble(_bits) : 0;

    public string? Text { get; }

    public static FieldValue FromText(string? text) => text is null ? Null : new(ValueKind.Text, 0, text);

    public static FieldValue FromInteger(long value) => new(ValueKind.Integer, value, null);

    public static FieldValue FromReal(double value) => new(ValueKind.Real, BitConverter.DoubleToInt64Bits(value), null);

    public static FieldValue FromBoolean(bool value) => new(ValueKind.Boolean, value ? 1 : 0, null);

    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    public bool Equals(FieldValue other) => Kind == other.Kind && _bits == other._bits && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits, Text);

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
