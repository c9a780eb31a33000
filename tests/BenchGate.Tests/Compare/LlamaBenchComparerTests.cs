using System.Globalization;
using System.Text.Json;
using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Reports;
using BenchGate.Tests.Shared;
using Json.Schema;

namespace BenchGate.Tests.Compare;

public sealed class LlamaBenchComparerTests
{
    private static readonly CompareSettings Settings = new(new DetectionSettings(Thresholds.Uniform(5)));

    private static CompareResult CommitsLmMmap(IReadOnlyList<string>? show = null)
    {
        var input = new InMemoryCompareInput("commits_lm_mmap.jsonl", SideLoader.Load("commits_lm_mmap.jsonl", Fixtures.Open("llama-bench/commits/commits_lm_mmap.jsonl"), new TextOnlyReader(), null).Runs);
        var pair = CommitSelector.Select(input.Commits(), "876a43211", "3f545becc", git: null);
        return LlamaBenchComparer.Compare(new ComparisonSide("b", input.Runs("876a43211")), new ComparisonSide("c", input.Runs("3f545becc")),
            pair.Baseline.Name, pair.Compare.Name, Settings with { Show = show });
    }

    [Fact]
    public void Two_models_sharing_a_model_type_are_two_rows_whose_average_is_the_scripts_one_row()
    {
        var result = CommitsLmMmap();
        Assert.Equal(["CPU", "Model", "File"], result.ShownColumns);
        Assert.Equal(8, result.Rows.Count);
        // compare-llama-bench.py printed pp64: 31292.25 → 32604.54 (11b_jsonl_with_tool.txt), the two models averaged.
        var pp64 = result.Rows.Where(r => r.Test == "pp64").ToList();
        Assert.Equal(2, pp64.Count);
        Assert.Equal("31292.25", pp64.Average(r => r.Baseline).ToString("F2", CultureInfo.InvariantCulture));
        Assert.Equal("32604.54", pp64.Average(r => r.Current).ToString("F2", CultureInfo.InvariantCulture));
        Assert.All(result.Rows, r => Assert.NotNull(r.Verdict));
    }

    [Fact]
    public void Hiding_a_differing_column_with_show_adds_it_back_with_a_note_and_unknown_columns_are_refused()
    {
        var result = CommitsLmMmap(["n_threads"]);
        Assert.Equal(["Threads", "File"], result.ShownColumns);
        Assert.Contains(result.Notes, n => n.Contains("model_filename", StringComparison.Ordinal));
        var e = Assert.Throws<InputException>(() => CommitsLmMmap(["n_thread"]));
        Assert.Contains("unknown values for --show: n_thread", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_report_keeps_to_its_schema_with_and_without_a_matrix()
    {
        // One schema object for both: the library refuses to register one schema id twice, even from parallel tests.
        var schema = JsonSchema.FromText(File.ReadAllText(Fixtures.RepoFile("docs/compare-report.schema.json")));
        var result = CommitsLmMmap();
        var plain = Evaluate(schema, result, null);
        var withMatrix = Evaluate(schema, result, CompareMatrix.From(result, MatrixAxis.Model));

        Assert.Equal(8, plain.GetProperty("rows").GetArrayLength());
        Assert.Equal("tiny-llama-large-f32.gguf", plain.GetProperty("rows")[0].GetProperty("values").GetProperty("File").GetString());
        Assert.False(plain.TryGetProperty("matrix", out _));
        var matrix = withMatrix.GetProperty("matrix");
        Assert.Equal("model", matrix.GetProperty("across").GetString());
        Assert.Equal(2, matrix.GetProperty("columns").GetArrayLength());
        Assert.Equal(4, matrix.GetProperty("columns")[0].GetProperty("benchmarks").GetInt32());
    }

    private static JsonElement Evaluate(JsonSchema schema, CompareResult result, CompareMatrix? matrix)
    {
        using var buffer = new MemoryStream();
        CompareJson.Write(result, buffer, matrix);
        var json = JsonDocument.Parse(buffer.ToArray()).RootElement;
        var evaluation = schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(evaluation.IsValid, string.Join("; ", evaluation.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
        return json;
    }
}
