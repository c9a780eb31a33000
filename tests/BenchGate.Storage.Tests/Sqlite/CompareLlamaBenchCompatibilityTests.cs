using System.Globalization;
using System.Text.RegularExpressions;
using BenchGate.Tests.Shared;
using static BenchGate.Storage.Tests.Sqlite.StoreTestKit;

namespace BenchGate.Storage.Tests.Sqlite;

/// <summary>
/// llama.cpp's scripts/compare-llama-bench.py reads the llama_bench table with a self-join on its 28 key
/// columns. Running that query on a database BenchGate wrote must give the numbers the script printed on
/// the original llama-bench database (fixtures/compare-llama-bench/10_commits_lm_mmap_sqlite.txt).
/// </summary>
public sealed partial class CompareLlamaBenchCompatibilityTests
{
    private static readonly string[] KeyProperties =
    [
        "cpu_info", "gpu_info", "backends", "n_gpu_layers", "n_cpu_moe", "tensor_buft_overrides", "model_filename", "model_type",
        "n_batch", "n_ubatch", "embeddings", "cpu_mask", "cpu_strict", "poll", "n_threads", "type_k", "type_v",
        "load_mode", "no_kv_offload", "split_mode", "main_gpu", "tensor_split", "flash_attn", "n_prompt", "n_gen", "n_depth",
        "fit_target", "fit_min_ctx",
    ];

    [Theory]
    [InlineData("llama-bench/commits/commits_lm_mmap.jsonl")]
    [InlineData("llama-bench/commits/commits_lm_mmap.sqlite")]
    public void The_scripts_query_on_our_database_reproduces_its_published_table(string input)
    {
        using var dir = new TempDir();
        var db = dir.File("ours.sqlite");
        IngestFiles(db, Fixtures.Path(input));
        var join = string.Join(" AND ", KeyProperties.Select(k => $"tb.{k} = tc.{k}"));
        var rows = Rows(db, $"""
            SELECT tb.cpu_info, tb.model_type, tb.n_prompt, tb.n_gen, tb.n_depth, AVG(tb.avg_ts), AVG(tc.avg_ts)
            FROM llama_bench tb JOIN llama_bench tc ON {join} AND tb.build_commit = '876a43211' AND tc.build_commit = '3f545becc'
            GROUP BY tb.cpu_info, tb.model_type, tb.n_gen, tb.n_prompt, tb.n_depth
            ORDER BY tb.cpu_info, tb.model_type, tb.n_gen, tb.n_prompt, tb.n_depth
            """);
        var published = TableRow().Matches(Fixtures.Text("compare-llama-bench/10_commits_lm_mmap_sqlite.txt"))
            .Select(m => (Test: m.Groups["test"].Value, Base: double.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture), Cmp: double.Parse(m.Groups["c"].Value, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(4, published.Count);
        Assert.Equal(published.Count, rows.Count);
        foreach (var (row, expected) in rows.Zip(published))
        {
            var test = (long)row[2]! > 0 ? $"pp{row[2]}" : $"tg{row[3]}";
            Assert.Equal(expected.Test, test);
            Assert.Equal(expected.Base, Math.Round((double)row[5]!, 2));
            Assert.Equal(expected.Cmp, Math.Round((double)row[6]!, 2));
        }
    }

    [GeneratedRegex(@"^\| AMD EPYC \| llama \?B all F32 \| (?<test>\S+)\s*\|\s*(?<b>[\d.]+) \|\s*(?<c>[\d.]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
