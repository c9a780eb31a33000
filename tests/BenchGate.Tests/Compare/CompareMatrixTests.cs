using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Reports;
using BenchGate.Statistics;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Compare;

/// <summary>compare --matrix: the rows of a real two-model compare arranged as tests × models and backends.</summary>
public sealed class CompareMatrixTests
{
    private static CompareResult CommitsLmMmap()
    {
        var input = new InMemoryCompareInput("commits_lm_mmap.jsonl", SideLoader.Load("commits_lm_mmap.jsonl", Fixtures.Open("llama-bench/commits/commits_lm_mmap.jsonl"), new TextOnlyReader(), null).Runs);
        return LlamaBenchComparer.Compare(new ComparisonSide("b", input.Runs("876a43211")), new ComparisonSide("c", input.Runs("3f545becc")),
            "876a43211", "3f545becc", new CompareSettings(new DetectionSettings(Thresholds.Uniform(5))));
    }

    [Fact]
    public void Each_model_is_a_column_each_test_a_row_and_every_cell_is_its_rows_speedup_and_interval()
    {
        var result = CommitsLmMmap();

        var m = CompareMatrix.From(result, MatrixAxis.Model);

        Assert.Equal(["tiny-llama-large-f32", "tiny-llama-small-f32"], m.Columns);
        Assert.Equal(4, m.Rows.Count);
        foreach (var row in result.Rows)
        {
            var column = row.Shown[result.ShownColumns.ToList().IndexOf("File")].Replace(".gguf", "", StringComparison.Ordinal);
            var cell = m.Rows.Single(r => r.Label.StartsWith(row.Test + " ", StringComparison.Ordinal) || r.Label == row.Test).Cells[m.Columns.ToList().IndexOf(column)]!;
            Assert.Equal(1 + (row.Verdict!.Estimate.ChangePercent / 100), cell.Speedup, 12);
            Assert.Equal(1 + (row.Verdict.Estimate.CiLowPercent / 100), cell.Low!.Value, 12);
            Assert.InRange(cell.Speedup, cell.Low.Value, cell.High!.Value);
            Assert.Equal(row.Verdict.Verdict, cell.Verdict);
        }
    }

    [Fact]
    public void A_columns_geometric_mean_has_a_t_interval_over_its_benchmarks_log_speedups()
    {
        var result = CommitsLmMmap();
        var m = CompareMatrix.From(result, MatrixAxis.Model);

        var small = result.Rows.Where(r => r.Key!["model_filename"] == "tiny-llama-small-f32.gguf").Select(r => Math.Log(1 + (r.Verdict!.Estimate.ChangePercent / 100))).ToArray();
        var mean = small.Average();
        var se = Math.Sqrt(small.Sum(l => (l - mean) * (l - mean)) / (small.Length - 1) / small.Length);
        var t = StudentT.Quantile(1 - result.Alpha, small.Length - 1);
        var summary = m.Summaries[1];

        Assert.Equal(4, summary.Benchmarks);
        Assert.Equal(Math.Exp(mean), summary.GeometricMean, 12);
        Assert.Equal(Math.Exp(mean - (t * se)), summary.Low!.Value, 12);
        Assert.Equal(Math.Exp(mean + (t * se)), summary.High!.Value, 12);
        Assert.Null(CompareMatrix.Summarise([1.1], 0.01).Low);
        Assert.Equal(0, CompareMatrix.Summarise([], 0.01).Benchmarks);
    }

    [Fact]
    public void With_backends_as_columns_the_two_models_are_told_apart_in_the_rows_never_merged()
    {
        var m = CompareMatrix.From(CommitsLmMmap(), MatrixAxis.Backend);

        Assert.Equal(["CPU"], m.Columns);
        Assert.Equal(8, m.Rows.Count);
        Assert.Equal(8, m.Rows.Select(r => r.Label).Distinct().Count());
        Assert.Equal(8, m.Summaries[0].Benchmarks);
    }

    [Fact]
    public void Model_files_of_one_name_but_different_types_are_columns_of_their_own_named_with_their_type()
    {
        // The large model renamed to the small one's file name, quantised differently (q4/ and q8/ folders of one name).
        var text = string.Join('\n', Fixtures.Text("llama-bench/commits/commits_lm_mmap.jsonl").Split('\n').Select(l => l.Contains("tiny-llama-large", StringComparison.Ordinal)
            ? l.Replace("tiny-llama-large-f32.gguf", "tiny-llama-small-f32.gguf", StringComparison.Ordinal).Replace("llama ?B all F32", "llama ?B Q8_0", StringComparison.Ordinal)
            : l));
        var input = new InMemoryCompareInput("renamed.jsonl", SideLoader.Load("renamed.jsonl", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), new TextOnlyReader(), null).Runs);
        var result = LlamaBenchComparer.Compare(new ComparisonSide("b", input.Runs("876a43211")), new ComparisonSide("c", input.Runs("3f545becc")),
            "876a43211", "3f545becc", new CompareSettings(new DetectionSettings(Thresholds.Uniform(5))));

        var m = CompareMatrix.From(result, MatrixAxis.Model);

        Assert.Equal(["tiny-llama-small-f32 (llama ?B Q8_0)", "tiny-llama-small-f32 (llama ?B all F32)"], m.Columns.Order(StringComparer.Ordinal));
        Assert.All(m.Summaries, s => Assert.Equal(4, s.Benchmarks));
    }

    [Fact]
    public void Each_model_over_its_backends_and_each_backend_over_its_models_has_its_own_geometric_mean()
    {
        // The small model's runs once more as a CUDA machine's: the small model on two backends, the large on one.
        var lines = Fixtures.Text("llama-bench/commits/commits_lm_mmap.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cuda = lines.Where(l => l.Contains("tiny-llama-small", StringComparison.Ordinal))
            .Select(l => l.Replace("\"backends\": \"CPU\"", "\"backends\": \"CUDA\"", StringComparison.Ordinal)
            .Replace("\"gpu_info\": \"\"", "\"gpu_info\": \"NVIDIA L4\"", StringComparison.Ordinal));
        var text = string.Join('\n', lines.Concat(cuda));
        var input = new InMemoryCompareInput("two-backends.jsonl", SideLoader.Load("two-backends.jsonl", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), new TextOnlyReader(), null).Runs);
        var result = LlamaBenchComparer.Compare(new ComparisonSide("b", input.Runs("876a43211")), new ComparisonSide("c", input.Runs("3f545becc")),
            "876a43211", "3f545becc", new CompareSettings(new DetectionSettings(Thresholds.Uniform(5))));

        var m = CompareMatrix.From(result, MatrixAxis.ModelAndBackend);

        Assert.Equal(["tiny-llama-large-f32 · CPU", "tiny-llama-small-f32 · CPU", "tiny-llama-small-f32 · CUDA"], m.Columns.Order(StringComparer.Ordinal));
        // Each group from the rows' own estimates, computed here without the matrix: exp(mean(log speedup)).
        double GeoMean(Func<BenchmarkKey, bool> member) => Math.Exp(result.Rows.Where(r => member(r.Key!))
            .Select(r => Math.Log(1 + (r.Verdict!.Estimate.ChangePercent / 100))).Average());
        var expected = new Dictionary<(MatrixAxis, string), (int, double)>
        {
            [(MatrixAxis.Backend, "CPU")] = (8, GeoMean(k => k["backends"] == "CPU")),
            [(MatrixAxis.Backend, "CUDA")] = (4, GeoMean(k => k["backends"] == "CUDA")),
            [(MatrixAxis.Model, "tiny-llama-large-f32")] = (4, GeoMean(k => k["model_filename"] == "tiny-llama-large-f32.gguf")),
            [(MatrixAxis.Model, "tiny-llama-small-f32")] = (8, GeoMean(k => k["model_filename"] == "tiny-llama-small-f32.gguf")),
        };
        Assert.Equal(expected.Keys.Order(), m.Groups.Select(g => (g.Axis, g.Name)).Order());
        foreach (var g in m.Groups)
        {
            Assert.Equal(expected[(g.Axis, g.Name)].Item1, g.Summary.Benchmarks);
            Assert.Equal(expected[(g.Axis, g.Name)].Item2, g.Summary.GeometricMean, 9);
            Assert.InRange(g.Summary.GeometricMean, g.Summary.Low!.Value, g.Summary.High!.Value);
        }

        // Models as columns: only the backends are groups, and the markdown shows them under the matrix.
        var byModel = CompareMatrix.From(result, MatrixAxis.Model);
        Assert.All(byModel.Groups, g => Assert.Equal(MatrixAxis.Backend, g.Axis));
        Assert.Matches(@"\| backend +\| CUDA +\| [0-9.]+ \[[0-9.]+, [0-9.]+\] \(4\)", CompareMatrixReport.Markdown(byModel));

        // One backend: its models' groups would repeat the columns, so only the backend's is kept.
        var oneBackend = CompareMatrix.From(CommitsLmMmap(), MatrixAxis.ModelAndBackend);
        Assert.Equal([(MatrixAxis.Backend, "CPU")], oneBackend.Groups.Select(g => (g.Axis, g.Name)));
    }

    [Theory]
    [InlineData("model", MatrixAxis.Model)]
    [InlineData("Backend", MatrixAxis.Backend)]
    [InlineData("backend, model", MatrixAxis.ModelAndBackend)]
    [InlineData(null, MatrixAxis.ModelAndBackend)]
    public void The_axis_is_named_as_users_write_it(string? text, MatrixAxis axis) => Assert.Equal(axis, CompareMatrix.ParseAxis(text));

    [Fact]
    public void An_unknown_axis_is_refused_with_the_names_that_work()
    {
        var e = Assert.Throws<InputException>(() => CompareMatrix.ParseAxis("gpu"));
        Assert.Contains("model, backend or model,backend", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_matrix_markdown_matches_the_golden_file() =>
        Golden.AssertMatches("compare-matrix.md", CompareMatrixReport.Markdown(CompareMatrix.From(CommitsLmMmap(), MatrixAxis.ModelAndBackend)));
}
