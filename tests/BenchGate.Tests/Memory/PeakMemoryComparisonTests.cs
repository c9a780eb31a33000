using System.Text.Json;
using BenchGate.Detection;
using BenchGate.Memory;
using BenchGate.Reports;
using Json.Schema;

namespace BenchGate.Tests.Memory;

/// <summary>detect's comparison of the runs' peak memory, per llama-bench invocation, like any metric.</summary>
public sealed class PeakMemoryComparisonTests
{
    private const string Args = "-m model.gguf -p 512";

    private static List<RunPeak> Peaks(string prefix, string kind, params double[] values) =>
        [.. values.Select((v, i) => new RunPeak($"{prefix}{i}", kind, Args, v))];

    [Fact]
    public void Doubled_gpu_memory_is_a_regression_and_unchanged_rss_is_not()
    {
        var baseline = Peaks("b", "rss", 400, 402, 399).Concat(Peaks("b", "gpu", 1024, 1026, 1025)).ToList();
        var current = Peaks("c", "rss", 401, 400, 402).Concat(Peaks("c", "gpu", 2048, 2050, 2047)).ToList();
        var result = PeakMemoryComparison.Compare(baseline, current, Thresholds.Uniform(5), 0.01);
        Assert.Equal([Args, Args + " (GPU)"], result.Select(r => r.Source));
        Assert.NotEqual(Verdict.Regression, result[0].Verdict);
        Assert.Equal(Verdict.Regression, result[1].Verdict);
        Assert.InRange(result[1].Estimate.ChangePercent, 99, 101);

        // The metric's own threshold (benchgate.yaml's metrics: peak_gpu_mb) governs it.
        var lax = new Thresholds(5, new Dictionary<string, double> { ["peak_gpu_mb"] = 150 }, []);
        Assert.NotEqual(Verdict.Regression, PeakMemoryComparison.Compare(baseline, current, lax, 0.01)[1].Verdict);
    }

    [Fact]
    public void One_run_a_side_or_other_arguments_are_not_compared()
    {
        Assert.Empty(PeakMemoryComparison.Compare(Peaks("b", "rss", 400), Peaks("c", "rss", 800, 810), Thresholds.Uniform(5), 0.01));
        var other = new List<RunPeak> { new("c0", "rss", "-m other.gguf", 800), new("c1", "rss", "-m other.gguf", 801) };
        Assert.Empty(PeakMemoryComparison.Compare(Peaks("b", "rss", 400, 401), other, Thresholds.Uniform(5), 0.01));
        // Two peaks logged by one run count once, the larger.
        var twice = new List<RunPeak> { new("c0", "rss", Args, 300), new("c0", "rss", Args, 800), new("c1", "rss", Args, 801) };
        Assert.Equal(800.5, PeakMemoryComparison.Compare(Peaks("b", "rss", 400, 401), twice, Thresholds.Uniform(5), 0.01).Single().Estimate.CurrentValue, 0);
    }

    [Fact]
    public void The_reports_show_the_memory_and_a_memory_regression_fails_the_gate()
    {
        const string fixture = "llama-bench/ab-cpu-long/ab_long_fast.jsonl";
        var fast = ComparisonSide.FromRecords("fast", Ingest.FixtureReading.Records(fixture), "fast");
        var report = new Detector(new DetectionSettings(Thresholds.Uniform(5))).Compare(fast, fast with { Label = "same" }, DateTimeOffset.UnixEpoch);
        Assert.False(report.HasRegression);
        var memory = PeakMemoryComparison.Compare(Peaks("b", "gpu", 1024, 1026, 1025), Peaks("c", "gpu", 2048, 2050, 2047), Thresholds.Uniform(5), 0.01);
        var withMemory = report with { Memory = memory };
        Assert.True(withMemory.HasRegression);

        var md = MarkdownReport.Render(withMemory);
        Assert.Contains("## ⚠️ Peak Memory Regressions Detected", md, StringComparison.Ordinal);
        Assert.Contains("- Peak memory compared: 1 · regressions: 1", md, StringComparison.Ordinal);
        Assert.Contains($"| `{Args} (GPU)` | 1025.0 MB | 2048.3 MB | ↑ 99.84% |", md, StringComparison.Ordinal);
        Assert.Contains("peak memory regression: -m model.gguf -p 512 (GPU) ↑ 99.84%", DetectSummaryText.Render(withMemory, ["r.md"], null, []), StringComparison.Ordinal);

        var schema = Reports.JsonSchemaTests.RegressionSchema;
        using var json = JsonDocument.Parse(JsonReport.Render(withMemory));
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", result.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
        var row = json.RootElement.GetProperty("memory")[0];
        Assert.Equal(("peak_gpu_mb", "regression", 3), (row.GetProperty("metric").GetString(), row.GetProperty("verdict").GetString(), row.GetProperty("current_runs").GetInt32()));
    }
}
