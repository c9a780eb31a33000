namespace BenchGate.Model;

/// <summary>Ordinals of the fields that code reads by name, resolved once.</summary>
internal static class FieldOrdinals
{
    public static readonly int BuildCommit = LlamaBenchSchema.Ordinal("build_commit");
    public static readonly int BuildNumber = LlamaBenchSchema.Ordinal("build_number");
    public static readonly int Backends = LlamaBenchSchema.Ordinal("backends");
    public static readonly int ModelSize = LlamaBenchSchema.Ordinal("model_size");
    public static readonly int NBatch = LlamaBenchSchema.Ordinal("n_batch");
    public static readonly int LoadMode = LlamaBenchSchema.Ordinal("load_mode");
    public static readonly int TypeK = LlamaBenchSchema.Ordinal("type_k");
    public static readonly int TypeV = LlamaBenchSchema.Ordinal("type_v");
    public static readonly int NPrompt = LlamaBenchSchema.Ordinal("n_prompt");
    public static readonly int NGen = LlamaBenchSchema.Ordinal("n_gen");
    public static readonly int NDepth = LlamaBenchSchema.Ordinal("n_depth");
    public static readonly int AvgNs = LlamaBenchSchema.Ordinal("avg_ns");
    public static readonly int StddevNs = LlamaBenchSchema.Ordinal("stddev_ns");
    public static readonly int AvgTs = LlamaBenchSchema.Ordinal("avg_ts");
    public static readonly int StddevTs = LlamaBenchSchema.Ordinal("stddev_ts");
}
