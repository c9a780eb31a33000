using System.Globalization;
using BenchGate.Model;

namespace BenchGate.Compare;

/// <summary>
/// compare-llama-bench.py's key columns, their pretty names and cosmetics, and its choice of shown columns —
/// except that a key column that differs between benchmarks is always shown: rows are never averaged across
/// different benchmarks (the script hides model_filename and averages two models that share a model_type).
/// </summary>
public static class CompareColumns
{
    /// <summary>LLAMA_BENCH_KEY_PROPERTIES in the script's order; the column order follows it.</summary>
    public static readonly IReadOnlyList<string> ScriptKeys =
    [
        "cpu_info", "gpu_info", "backends", "n_gpu_layers", "n_cpu_moe", "tensor_buft_overrides", "model_filename", "model_type",
        "n_batch", "n_ubatch", "embeddings", "cpu_mask", "cpu_strict", "poll", "n_threads", "type_k", "type_v",
        "load_mode", "no_kv_offload", "split_mode", "main_gpu", "tensor_split", "flash_attn", "n_prompt", "n_gen", "n_depth",
        "fit_target", "fit_min_ctx",
    ];

    private static readonly Dictionary<string, string> Pretty = new(StringComparer.Ordinal)
    {
        ["cpu_info"] = "CPU",
        ["gpu_info"] = "GPU",
        ["backends"] = "Backends",
        ["n_gpu_layers"] = "GPU layers",
        ["tensor_buft_overrides"] = "Tensor overrides",
        ["model_filename"] = "File",
        ["model_type"] = "Model",
        ["model_size"] = "Model size [GiB]",
        ["model_n_params"] = "Num. of par.",
        ["n_batch"] = "Batch size",
        ["n_ubatch"] = "Microbatch size",
        ["embeddings"] = "Embeddings",
        ["cpu_mask"] = "CPU mask",
        ["cpu_strict"] = "CPU strict",
        ["poll"] = "Poll",
        ["n_threads"] = "Threads",
        ["type_k"] = "K type",
        ["type_v"] = "V type",
        ["load_mode"] = "Load mode",
        ["no_kv_offload"] = "NKVO",
        ["split_mode"] = "Split mode",
        ["main_gpu"] = "Main GPU",
        ["tensor_split"] = "Tensor split",
        ["flash_attn"] = "FlashAttention",
    };

    private static readonly HashSet<string> TestFields = ["n_prompt", "n_gen", "n_depth"];
    private static readonly HashSet<string> Booleans = ["embeddings", "cpu_strict", "no_kv_offload", "flash_attn"];
    private static readonly string[] GpuPrefixes = ["NVIDIA GeForce ", "Tesla ", "AMD Radeon ", "AMD Instinct "];

    /// <summary>Every key field BenchGate compares by, script order first, without the ones the Test column shows.</summary>
    public static IReadOnlyList<string> Groupable { get; } =
    [
        .. ScriptKeys.Where(k => !TestFields.Contains(k)),
        .. LlamaBenchSchema.KeyFields.Select(f => f.Name).Where(n => !ScriptKeys.Contains(n) && !TestFields.Contains(n)),
    ];

    public static string PrettyName(string field) => Pretty.GetValueOrDefault(field, field);

    /// <summary>The field a <c>--plot-x</c> or <c>--show</c> value names: a field name or a pretty name.</summary>
    public static string? FieldNamed(string name) =>
        Groupable.Contains(name) || TestFields.Contains(name) ? name : Pretty.FirstOrDefault(p => p.Value == name && Groupable.Contains(p.Key)).Key;

    /// <summary>The shown columns: the user's (<c>-s</c>) plus any that differ, or the script's default choice.</summary>
    public static (List<string> Shown, List<string> Notes) Choose(IReadOnlyCollection<BenchmarkKey> keys, IReadOnlyList<string>? requested)
    {
        var notes = new List<string>();
        var first = keys.First();
        var varying = Groupable.Where(f => BenchmarkKey.Varies(keys, BenchmarkKey.IndexOf(f))).ToList();
        if (requested is not null)
        {
            var unknown = requested.Where(r => !Groupable.Contains(r)).ToList();
            if (unknown.Count > 0)
            {
                throw new InputException($"unknown values for --show: {string.Join(", ", unknown)} (allowed: {string.Join(", ", Groupable)})");
            }

            var shown = requested.Distinct().ToList();
            var hidden = varying.Where(v => !shown.Contains(v)).ToList();
            if (hidden.Count > 0)
            {
                shown.AddRange(hidden);
                notes.Add($"also shown, because they differ between the benchmarks and BenchGate never averages different benchmarks into one row: {string.Join(", ", hidden)}");
            }

            return (shown, notes);
        }

        var result = new List<string>();
        if (!varying.Contains("n_gpu_layers") && first["n_gpu_layers"] != "99" && !varying.Contains("cpu_info"))
        {
            result.Add("cpu_info");
        }

        result.AddRange(varying.Where(v => v != "model_type"));
        var at = result.Count(p => p is "cpu_info" or "gpu_info" or "n_gpu_layers" or "main_gpu");
        result.Insert(at, "model_type");
        return (result, notes);
    }

    /// <summary>A key value as the script displays it (Yes/No, _S/_M/_L, short GPU names).</summary>
    public static string Display(string field, string value)
    {
        if (Booleans.Contains(field))
        {
            return field == "flash_attn" && value == "-1" ? "auto" : value == "1" ? "Yes" : "No";
        }

        if (field == "model_type")
        {
            return value.Replace(" - Small", "_S", StringComparison.Ordinal).Replace(" - Medium", "_M", StringComparison.Ordinal).Replace(" - Large", "_L", StringComparison.Ordinal);
        }

        if (field == "gpu_info")
        {
            foreach (var prefix in GpuPrefixes)
            {
                value = value.Replace(prefix, "", StringComparison.Ordinal);
            }

            var names = value.Split(", ");
            return names.Length >= 2 && names.Distinct().Count() == 1 ? $"{names.Length}x {names[0]}" : value;
        }

        return value;
    }

    /// <summary>Orders values as SQLite orders the stored column: numbers by value, text ordinally.</summary>
    public static int CompareValues(string a, string b) => SortValue.Of(a).CompareTo(SortValue.Of(b));
}

/// <summary>A key value parsed once for sorting: numbers before text, numbers by value, text ordinally (SQLite's order).</summary>
public readonly record struct SortValue(bool IsNumber, double Number, string Text) : IComparable<SortValue>
{
    public static IComparer<SortValue[]> ArrayComparer { get; } = Comparer<SortValue[]>.Create((x, y) =>
    {
        for (var i = 0; i < x.Length; i++)
        {
            var c = x[i].CompareTo(y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    });

    public static SortValue Of(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? new(true, d, text) : new(false, 0, text);

    public static bool operator <(SortValue left, SortValue right) => left.CompareTo(right) < 0;

    public static bool operator <=(SortValue left, SortValue right) => left.CompareTo(right) <= 0;

    public static bool operator >(SortValue left, SortValue right) => left.CompareTo(right) > 0;

    public static bool operator >=(SortValue left, SortValue right) => left.CompareTo(right) >= 0;

    public int CompareTo(SortValue other) => (IsNumber, other.IsNumber) switch
    {
        (true, true) => Number.CompareTo(other.Number),
        (true, false) => -1,
        (false, true) => 1,
        _ => string.CompareOrdinal(Text, other.Text),
    };
}
