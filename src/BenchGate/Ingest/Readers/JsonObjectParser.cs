using System.Text;
using System.Text.Json;
using BenchGate.Model;

namespace BenchGate.Ingest.Readers;

/// <summary>Parses one llama-bench JSON object (a json array element or a jsonl line) into a <see cref="RawRecord"/>.</summary>
internal static class JsonObjectParser
{
    [ThreadStatic]
    private static RecordShapeCache? _shape;

    public static RawRecord Parse(ReadOnlySpan<byte> json, int line, string locationUnit = "line") =>
        Parse(json, line, new RawRecord(line) { LocationUnit = locationUnit });

    /// <summary>Parses into <paramref name="record"/>, emptied first: a reader whose rows are dropped once normalised reuses one.</summary>
    public static RawRecord Parse(ReadOnlySpan<byte> json, int line, RawRecord record)
    {
        var shape = _shape ??= new RecordShapeCache();
        var position = 0;
        record.Reset(line);
        string? name = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InputException("expected a JSON object ({...}) holding one llama-bench test", Where(line));
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                name = reader.ValueIsEscaped ? reader.GetString()! : shape.Name(position, reader.ValueSpan);
                reader.Read();
                ReadValue(ref reader, json, name, record, line, shape, position++);
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new InputException("the JSON object is not closed", Where(line));
            }

            if (reader.Read())
            {
                throw new InputException($"unexpected {reader.TokenType} after the end of the JSON object", Where(line));
            }
        }
        catch (JsonException e)
        {
            var errorAt = (int)(e.BytePositionInLine ?? 0);
            var rest = json[Math.Min(errorAt, json.Length)..];
            var problem = rest.StartsWith("NaN"u8) || rest.StartsWith("nan"u8) || rest.StartsWith("Infinity"u8) || rest.StartsWith("-Infinity"u8) || rest.StartsWith("inf"u8)
                ? $"{(name is null ? "a value" : name)} is {(rest[0] == (byte)'N' || rest[0] == (byte)'n' ? "NaN" : "infinite")}: not a measurement (and not valid JSON)"
                : (e.LineNumber ?? 0) == 0 && errorAt >= json.Length - 1
                    ? $"truncated JSON (the record ends before its closing brace: was llama-bench killed?)"
                    : Describe(e);
            throw new InputException(problem, Where(line + (int)(e.LineNumber ?? 0), e.BytePositionInLine));
        }

        return record;
    }

    private static void ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string name, RawRecord record, int line, RecordShapeCache shape, int position)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // Strings without escapes (all of llama-bench's but odd paths) come from the raw bytes, shared.
                record.Add(name, FieldValue.FromText(reader.ValueIsEscaped ? reader.GetString() : shape.Value(position, reader.ValueSpan)));
                break;
            case JsonTokenType.Number:
                record.Add(name, reader.TryGetInt64(out var l) ? FieldValue.FromInteger(l) : FieldValue.FromReal(reader.GetDouble()));
                break;
            case JsonTokenType.True or JsonTokenType.False:
                record.Add(name, FieldValue.FromBoolean(reader.GetBoolean()));
                break;
            case JsonTokenType.Null:
                record.Add(name, FieldValue.Null);
                break;
            case JsonTokenType.StartArray when name is "samples_ns" or "samples_ts":
                var values = ReadNumbers(ref reader, name, line);
                if (name == "samples_ns")
                {
                    record.SamplesNs = values;
                }
                else
                {
                    record.SamplesTs = values;
                }

                break;
            default:
                // A structure llama-bench never writes: keep its JSON text so nothing is lost.
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                record.Add(name, FieldValue.FromText(Encoding.UTF8.GetString(json[start..(int)reader.BytesConsumed])));
                break;
        }
    }

    private static double[] ReadNumbers(ref Utf8JsonReader reader, string name, int line)
    {
        Span<double> values = stackalloc double[64];
        double[]? spill = null;
        var n = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw new InputException($"{name} must hold numbers, found {reader.TokenType}", Where(line));
            }

            if (n == values.Length)
            {
                spill = new double[values.Length * 2];
                values.CopyTo(spill);
                values = spill;
            }

            values[n++] = reader.GetDouble();
        }

        return values[..n].ToArray();
    }

    internal static string Where(int line, long? column = null) =>
        column is > 0 ? $"line {line}, column {column + 1}" : $"line {line}";

    internal static string Describe(JsonException e)
    {
        var msg = e.Message;
        var cut = msg.IndexOf(" LineNumber:", StringComparison.Ordinal);
        msg = cut > 0 ? msg[..cut] : msg;
        return msg.Contains("depth", StringComparison.OrdinalIgnoreCase)
            ? "JSON nested deeper than 64 levels: not llama-bench output (its records are flat)"
            : msg.Contains("end of data", StringComparison.OrdinalIgnoreCase)
                ? $"truncated JSON (the record ends before its closing brace: was llama-bench killed?): {msg.TrimEnd('.')}"
                : $"invalid JSON: {msg.TrimEnd('.')}";
    }
}
