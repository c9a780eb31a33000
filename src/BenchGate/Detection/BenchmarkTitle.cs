using BenchGate.Model;

namespace BenchGate.Detection;

/// <summary>
/// The spec's heading for a benchmark, <c>model | backend:CPU | p:512 | g:128</c>, plus the depth, llama-bench's
/// name of the test as compare shows it (<c>pp512</c>, <c>tg128</c>, <c>pp512@d4096</c>) and every other key field
/// that differs between the compared benchmarks, so that no two share a title.
/// </summary>
public static class BenchmarkTitle
{
    private static readonly HashSet<string> Shown = ["model_filename", "backends", "n_prompt", "n_gen", "n_depth", "model_type"];

    public static Dictionary<BenchmarkKey, string> For(IReadOnlyCollection<BenchmarkKey> keys)
    {
        var fields = LlamaBenchSchema.KeyFields;
        var first = keys.FirstOrDefault();
        var varying = Enumerable.Range(0, fields.Count)
            .Where(i => !Shown.Contains(fields[i].Name) && first is not null && keys.Any(k => k.ValueAt(i) != first.ValueAt(i)))
            .Select(i => fields[i].Name).ToList();
        return keys.Distinct().ToDictionary(k => k, k =>
        {
            var model = k["model_filename"] switch
            {
                "?" => k["model_type"],
                ['?', .. var unnamed] => $"{k["model_type"]} ({unnamed})",
                var file => StripExtension(file),
            };
            var parts = new List<string> { model, $"backend:{k["backends"]}", $"p:{k["n_prompt"]}", $"g:{k["n_gen"]}" };
            if (k["n_depth"] is not ("0" or "?"))
            {
                parts.Add($"d:{k["n_depth"]}");
            }

            if (Test(k) is { } test)
            {
                parts.Add(test);
            }

            parts.AddRange(varying.Select(n => $"{n}:{k[n]}"));
            return string.Join(" | ", parts);
        });
    }

    /// <summary>llama-bench's name of the benchmark's test (pp512, tg128, pp512@d4096), or null when the key does not say.</summary>
    public static string? Test(BenchmarkKey k) =>
        Number(k["n_prompt"]) is { } p && Number(k["n_gen"]) is { } g ? TestLabel.Format(p, g, Number(k["n_depth"]) ?? 0) : null;

    private static long? Number(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string StripExtension(string file) =>
        file.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? file[..^5] : file;
}
