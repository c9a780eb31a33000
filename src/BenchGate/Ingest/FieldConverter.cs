using System.Globalization;
using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>Types a raw value by the canonical field it belongs to.</summary>
internal static class FieldConverter
{
    public static FieldValue Convert(LlamaBenchField field, FieldValue value, RawRecord raw)
    {
        if (value.IsNull || (value.Kind == ValueKind.Text && value.Text!.Length == 0 && field.Type != FieldType.Text))
        {
            return FieldValue.Null;
        }

        return field.Type switch
        {
            FieldType.Text => value.Kind == ValueKind.Text ? value : FieldValue.FromText(value.ToString()),
            FieldType.Integer => FieldValue.FromInteger(ToInteger(field.Name, value, raw)),
            FieldType.Boolean => FieldValue.FromInteger(ToFlag(value, raw, field.Name) == true ? 1 : 0),
            FieldType.Real => FieldValue.FromReal(ToReal(field.Name, value, raw)),
            _ => value,
        };
    }

    private static long ToInteger(string name, FieldValue value, RawRecord raw)
    {
        switch (value.Kind)
        {
            case ValueKind.Integer or ValueKind.Boolean:
                return value.Integer;
            case ValueKind.Real when value.Real == Math.Floor(value.Real) && Math.Abs(value.Real) < 9e18:
                return (long)value.Real;
            case ValueKind.Text:
                var t = value.Text!.Trim();
                if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }

                // flash_attn was a bool until 2026-05-31 and md prints on/off/auto.
                switch (t)
                {
                    case "true" or "on" or "yes": return 1;
                    case "false" or "off" or "no": return 0;
                    case "auto" when name == "flash_attn": return -1;
                }

                break;
        }

        throw RecordNormalizer.Error(raw, name, $"expected an integer, got {Describe(value)}");
    }

    private static double ToReal(string name, FieldValue value, RawRecord raw)
    {
        switch (value.Kind)
        {
            case ValueKind.Real: return value.Real;
            case ValueKind.Integer: return value.Integer;
            case ValueKind.Text when double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d): return d;
        }

        throw RecordNormalizer.Error(raw, name, $"expected a number, got {Describe(value)}");
    }

    public static bool? ToFlag(FieldValue value, RawRecord raw, string name)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: return null;
            case ValueKind.Boolean or ValueKind.Integer when value.Integer is 0 or 1: return value.Integer == 1;
            case ValueKind.Text:
                switch (value.Text!.Trim())
                {
                    case "1" or "true" or "yes" or "on": return true;
                    case "0" or "false" or "no" or "off": return false;
                    case "": return null;
                }

                break;
        }

        throw RecordNormalizer.Error(raw, name, $"expected 0/1 or true/false, got {Describe(value)}");
    }

    private static string Describe(FieldValue value) => value.Kind switch
    {
        ValueKind.Text => $"\"{value.Text}\"",
        ValueKind.Boolean => value.ToString(),
        _ => value.ToString(),
    };
}
