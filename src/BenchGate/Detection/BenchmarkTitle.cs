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
        // By position: 20,000 keys × 30 fields looked up by name were most of a large compare's titles.
        var varying = Enumerable.Range(0, fields.Count).Where(i => !Shown.Contains(fields[i].Name) && BenchmarkKey.Varies(keys, i)).ToList();
        var (backends, prompt, gen, depth) = (At("backends"), At("n_prompt"), At("n_gen"), At("n_depth"));
        var titles = new Dictionary<BenchmarkKey, string>(keys.Count);
        var title = new System.Text.StringBuilder();
        foreach (var k in keys)
        {
            if (titles.ContainsKey(k))
            {
                continue;
            }

            title.Clear();
            title.Append(Model(k));
            title.Append(" | backend:").Append(k.ValueAt(backends)).Append(" | p:").Append(k.ValueAt(prompt)).Append(" | g:").Append(k.ValueAt(gen));
            if (k.ValueAt(depth) is not ("0" or "?"))
            {
                title.Append(" | d:").Append(k.ValueAt(depth));
            }

            if (Test(k) is { } test)
            {
                title.Append(" | ").Append(test);
            }

            foreach (var i in varying)
            {
                title.Append(" | ").Append(fields[i].Name).Append(':').Append(k.ValueAt(i));
            }

            titles[k] = title.ToString();
        }

        return titles;
    }

    private static int At(string name) => BenchmarkKey.IndexOf(name);

    /// <summary>The model as titles name it: its file without .gguf, or its type when the input named no file.</summary>
    public static string Model(BenchmarkKey k) => k.ValueAt(ModelFile) switch
    {
        "?" => k.ValueAt(ModelType),
        ['?', .. var unnamed] => $"{k.ValueAt(ModelType)} ({unnamed})",
        var name => StripExtension(name),
    };

    private static readonly int ModelFile = At("model_filename");
    private static readonly int ModelType = At("model_type");

    /// <summary>llama-bench's name of the benchmark's test (pp512, tg128, pp512@d4096), or null when the key does not say.</summary>
    public static string? Test(BenchmarkKey k) =>
        Number(k["n_prompt"]) is { } p && Number(k["n_gen"]) is { } g ? TestLabel.Format(p, g, Number(k["n_depth"]) ?? 0) : null;

    private static long? Number(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string StripExtension(string file) =>
        file.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? file[..^5] : file;
}
