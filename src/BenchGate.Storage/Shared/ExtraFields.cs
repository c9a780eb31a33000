using System.Text;
using System.Text.Json;
using BenchGate.Model;

namespace BenchGate.Storage.Shared;

/// <summary>benchgate_results.extra_fields: a record's fields the canonical schema does not know, as one JSON object, written and read back by both stores.</summary>
internal static class ExtraFields
{
    public static List<KeyValuePair<string, FieldValue>> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var list = new List<KeyValuePair<string, FieldValue>>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            var v = p.Value.ValueKind switch
            {
                JsonValueKind.Null => FieldValue.Null,
                JsonValueKind.True => FieldValue.FromBoolean(true),
                JsonValueKind.False => FieldValue.FromBoolean(false),
                JsonValueKind.Number when p.Value.TryGetInt64(out var n) => FieldValue.FromInteger(n),
                JsonValueKind.Number => FieldValue.FromReal(p.Value.GetDouble()),
                _ => FieldValue.FromText(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()),
            };
            list.Add(KeyValuePair.Create(p.Name, v));
        }

        return list;
    }

    /// <summary>The record's extras as a JSON object, or null when it has none.</summary>
    public static string? Json(BenchmarkRecord record)
    {
        if (record.Extras.Count == 0)
        {
            return null;
        }

        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var (name, v) in record.Extras)
            {
                switch (v.Kind)
                {
                    case ValueKind.Null: w.WriteNull(name); break;
                    case ValueKind.Integer: w.WriteNumber(name, v.Integer); break;
                    case ValueKind.Real: w.WriteNumber(name, v.Real); break;
                    case ValueKind.Boolean: w.WriteBoolean(name, v.Integer != 0); break;
                    default: w.WriteString(name, v.Text); break;
                }
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
