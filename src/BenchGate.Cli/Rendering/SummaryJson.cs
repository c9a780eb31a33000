using System.Text.Encodings.Web;
using System.Text.Json;
using BenchGate.Storage;

namespace BenchGate.Cli.Rendering;

/// <summary>The JSON form of <see cref="StoreSummary"/>: snake_case names, like the database columns.</summary>
internal static class SummaryJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(StoreSummary summary) => JsonSerializer.Serialize(summary, Options);
}
