using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchGate.Storage;

namespace BenchGate.Cli.Rendering;

/// <summary>The JSON form of <see cref="StoreSummary"/>: snake_case names, like the database columns.</summary>
internal static class SummaryJson
{
    private static readonly SummaryJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static string Serialize(StoreSummary summary) => JsonSerializer.Serialize(summary, Context.StoreSummary);
}

/// <summary>Source-generated, so the native build serializes without reflection.</summary>
[JsonSerializable(typeof(StoreSummary))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;
