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
/// 100,000 rows/s, so values are kept in a 16-byte struct instead of <see cref="object"/>: one reference (the text,
/// or a marker that says which kind of number) and one 8-byte slot that integers and reals share. compare holds
/// every row of both builds at once, so each byte here is 48 × rows bytes.
/// </summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private static readonly object IntegerTag = new();
    private static readonly object RealTag = new();
    private static readonly object BooleanTag = new();

    // null: Null; a string: Text; else one of the tags above.
    private readonly object? _tag;
    private readonly long _bits;

    private FieldValue(object tag, long bits)
    {
        _tag = tag;
        _bits = bits;
    }

    public static FieldValue Null => default;

    public ValueKind Kind => _tag switch
    {
        null => ValueKind.Null,
        string => ValueKind.Text,
        _ when ReferenceEquals(_tag, IntegerTag) => ValueKind.Integer,
        _ when ReferenceEquals(_tag, RealTag) => ValueKind.Real,
        _ => ValueKind.Boolean,
    };

    /// <summary>The value of an Integer or Boolean (0/1).</summary>
    public long Integer => ReferenceEquals(_tag, RealTag) ? 0 : _bits;

    /// <summary>The value of a Real.</summary>
    public double Real => ReferenceEquals(_tag, RealTag) ? BitConverter.Int64BitsToDouble(_bits) : 0;

    public string? Text => _tag as string;

    public static FieldValue FromText(string? text) => text is null ? Null : new(text, 0);

    public static FieldValue FromInteger(long value) => new(IntegerTag, value);

    public static FieldValue FromReal(double value) => new(RealTag, BitConverter.DoubleToInt64Bits(value));

    public static FieldValue FromBoolean(bool value) => new(BooleanTag, value ? 1 : 0);

    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    public bool Equals(FieldValue other) =>
        _bits == other._bits && (ReferenceEquals(_tag, other._tag) || (_tag is string a && other._tag is string b && string.Equals(a, b, StringComparison.Ordinal)));

    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits, Text);

    public bool IsNull => _tag is null;

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
