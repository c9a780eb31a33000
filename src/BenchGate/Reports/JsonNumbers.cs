using System.Text.Json;

namespace BenchGate.Reports;

/// <summary>Numbers in the JSON reports: rounded to what the report's schema documents, and null where there is no finite value.</summary>
internal static class JsonNumbers
{
    public static void Write(Utf8JsonWriter w, string name, double? value, int digits)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, digits));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void Write(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
