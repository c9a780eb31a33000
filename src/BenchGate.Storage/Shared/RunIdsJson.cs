using System.Text.Json;
using System.Text.Json.Serialization;

namespace BenchGate.Storage.Shared;

/// <summary>
/// A JSON array of strings: performance_baselines.run_ids, benchgate_trend_state.candidates. Source-generated, so the native build needs no reflection.
/// </summary>
internal static class RunIdsJson
{
    public static string Write(IEnumerable<string> runIds) => JsonSerializer.Serialize(runIds.ToArray(), RunIdsJsonContext.Default.StringArray);

    public static string[] Read(string json) => JsonSerializer.Deserialize(json, RunIdsJsonContext.Default.StringArray) ?? [];
}

[JsonSerializable(typeof(string[]))]
internal sealed partial class RunIdsJsonContext : JsonSerializerContext;
