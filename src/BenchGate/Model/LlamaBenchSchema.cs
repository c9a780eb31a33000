using System.Collections.Frozen;

namespace BenchGate.Model;

/// <summary>
/// The canonical record: the 40 fields of llama-bench at 3f545becc (2026-08-22), in its order.
/// Every older layout is mapped onto it by <see cref="Ingest.RecordNormalizer"/>.
/// </summary>
public static class LlamaBenchSchema
{
    /// <summary>The llama-bench table name since 2025-08-02.</summary>
    public const string TableName = "llama_bench";

    /// <summary>The table name llama-bench used before 2025-08-02.</summary>
    public const string LegacyTableName = "test";

    private static readonly FieldValue None = FieldValue.Null;

    public static readonly IReadOnlyList<LlamaBenchField> Fields = Build(
    [
        ("build_commit", FieldType.Text, false, None),
        ("build_number", FieldType.Integer, false, None),
        ("cpu_info", FieldType.Text, true, None),
        ("gpu_info", FieldType.Text, true, FieldValue.FromText("")),
        ("backends", FieldType.Text, true, None),
        ("model_filename", FieldType.Text, true, None),
        ("model_type", FieldType.Text, true, None),
        ("model_size", FieldType.Integer, false, None),
        ("model_n_params", FieldType.Integer, false, None),
        ("n_batch", FieldType.Integer, true, None),
        ("n_ubatch", FieldType.Integer, true, None),
        ("n_threads", FieldType.Integer, true, None),
        ("cpu_mask", FieldType.Text, true, FieldValue.FromText("0x0")),
        ("cpu_strict", FieldType.Boolean, true, FieldValue.FromInteger(0)),
        ("poll", FieldType.Integer, true, FieldValue.FromInteger(50)),
        ("type_k", FieldType.Text, true, FieldValue.FromText("f16")),
        ("type_v", FieldType.Text, true, FieldValue.FromText("f16")),
        ("n_gpu_layers", FieldType.Integer, true, None),
        ("n_cpu_moe", FieldType.Integer, true, FieldValue.FromInteger(0)),
        ("split_mode", FieldType.Text, true, FieldValue.FromText("layer")),
        ("main_gpu", FieldType.Integer, true, FieldValue.FromInteger(0)),
        ("no_kv_offload", FieldType.Boolean, true, FieldValue.FromInteger(0)),
        ("flash_attn", FieldType.Integer, true, FieldValue.FromInteger(0)),
        ("devices", FieldType.Text, true, FieldValue.FromText("auto")),
        ("tensor_split", FieldType.Text, true, FieldValue.FromText("0.00")),
        ("tensor_buft_overrides", FieldType.Text, true, FieldValue.FromText("none")),
        ("load_mode", FieldType.Text, true, FieldValue.FromText("mmap")),
        ("embeddings", FieldType.Boolean, true, FieldValue.FromInteger(0)),
        ("no_op_offload", FieldType.Integer, true, FieldValue.FromInteger(0)),
        ("no_host", FieldType.Boolean, true, FieldValue.FromInteger(0)),
        ("fit_target", FieldType.Integer, true, FieldValue.FromInteger(0)),
        ("fit_min_ctx", FieldType.Integer, true, FieldValue.FromInteger(0)),
        ("n_prompt", FieldType.Integer, true, None),
        ("n_gen", FieldType.Integer, true, None),
        ("n_depth", FieldType.Integer, true, FieldValue.FromInteger(0)),
        ("test_time", FieldType.Text, false, None),
        ("avg_ns", FieldType.Integer, false, None),
        ("stddev_ns", FieldType.Integer, false, None),
        ("avg_ts", FieldType.Real, false, None),
        ("stddev_ts", FieldType.Real, false, None),
    ]);

    private static readonly FrozenDictionary<string, LlamaBenchField> ByName =
        Fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    public static readonly IReadOnlyList<LlamaBenchField> KeyFields = [.. Fields.Where(f => f.IsKey)];

    public static int Count => Fields.Count;

    public static bool TryGet(string name, out LlamaBenchField field) => ByName.TryGetValue(name, out field!);

    public static LlamaBenchField Get(string name) => ByName[name];

    public static int Ordinal(string name) => ByName[name].Ordinal;

    private static List<LlamaBenchField> Build((string Name, FieldType Type, bool Key, FieldValue Implied)[] defs) =>
        [.. defs.Select((d, i) => new LlamaBenchField(d.Name, d.Type, i, d.Key, d.Implied))];
}
