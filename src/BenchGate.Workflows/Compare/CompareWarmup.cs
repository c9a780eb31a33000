using System.Globalization;
using System.Text;
using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Reports;

namespace BenchGate.Workflows.Compare;

/// <summary>
/// Runs a tiny comparison on a spare core while compare reads a large database: the reading keeps one core busy
/// for a few hundred milliseconds, and the normaliser, detector and table code would otherwise be compiled
/// afterwards, on the critical path (bench/RESULTS.md, compare speed).
/// </summary>
public static class CompareWarmup
{
    private const string Template = @"{""build_commit"": ""3f545becc"", ""build_number"": 10587, ""cpu_info"": ""AMD EPYC"", ""gpu_info"": """", ""backends"": ""CPU"", ""model_filename"": ""tiny-llama-small-f32.gguf"", ""model_type"": ""llama ?B all F32"", ""model_size"": 4919040, ""model_n_params"": 1229760, ""n_batch"": 2048, ""n_ubatch"": 512, ""n_threads"": 2, ""cpu_mask"": ""0x0"", ""cpu_strict"": false, ""poll"": 50, ""type_k"": ""f16"", ""type_v"": ""f16"", ""n_gpu_layers"": -1, ""n_cpu_moe"": 0, ""split_mode"": ""layer"", ""main_gpu"": 0, ""no_kv_offload"": false, ""flash_attn"": -1, ""devices"": ""auto"", ""tensor_split"": ""0.00"", ""tensor_buft_overrides"": ""none"", ""load_mode"": ""auto"", ""embeddings"": false, ""no_op_offload"": 0, ""no_host"": false, ""fit_target"": 0, ""fit_min_ctx"": 0, ""n_prompt"": 64, ""n_gen"": 0, ""n_depth"": 0, ""test_time"": ""2026-11-27T14:58:29Z"", ""avg_ns"": 1713388, ""stddev_ns"": 57903, ""avg_ts"": 37386.996602, ""stddev_ts"": 1261.934350, ""samples_ns"": [ 1704748, 1778026, 1671939, 1766659, 1645569 ],""samples_ts"": [ 37542.2, 35995, 38278.9, 36226.6, 38892.3 ]}";

    public static Task Start() => Task.Run(() =>
    {
        try
        {
            Run();
        }
        catch (Exception e) when (e is InputException or FormatException)
        {
            // Only a warm-up: the real comparison reports its own errors.
        }
    });

    /// <summary>The warm-up comparison itself; returns its table's row count.</summary>
    internal static int Run()
    {
        var result = LlamaBenchComparer.Compare(Side("a", 1.0), Side("b", 0.97), "a", "b", new CompareSettings(new DetectionSettings(Thresholds.Uniform(5))));
        _ = TableRenderer.Render(CompareReport.Table(result), TableFormat.Pipe);
        return result.Rows.Count;
    }

    private static ComparisonSide Side(string build, double factor)
    {
        var text = new StringBuilder();
        for (var k = 1; k <= 40; k++)
        {
            var ts = (37386.996602 * factor * (1 + (k % 3 * 0.001))).ToString("F6", CultureInfo.InvariantCulture);
            text.AppendLine(Template.Replace("\"n_prompt\": 64", $"\"n_prompt\": {k}", StringComparison.Ordinal)
                .Replace("\"avg_ts\": 37386.996602", $"\"avg_ts\": {ts}", StringComparison.Ordinal)
                .Replace("3f545becc", build, StringComparison.Ordinal));
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        var records = TextFormatReaders.Open(InputFormat.Jsonl, stream).Select(RecordNormalizer.Normalize).ToList();
        return ComparisonSide.FromRecords(build, records, build);
    }
}
