using System.Text.Json;
using BenchGate.Model;

namespace BenchGate.Storage.Postgres;

/// <summary>Reads back benchgate_results.extra_fields (the JSON object the row writer stores) as a record's extras.</summary>
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
}
