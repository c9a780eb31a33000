using BenchGate.Detection;
using BenchGate.Reports;
using BenchGate.Tests.Ingest;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Reports;

/// <summary>Pins the text of the markdown and JSON reports for the real A/B fixture.</summary>
public sealed class ReportGoldenTests
{
    private static DetectionReport Report()
    {
        static ComparisonSide Side(string fixture, string label) => ComparisonSide.FromRecords(label, FixtureReading.Records(fixture), label);

        var slow = Side("llama-bench/ab-cpu-long/ab_long_slow.jsonl", "ab_long_slow.jsonl");
        // One benchmark only in the current side, to pin the "added" section.
        var extra = Side("llama-bench/formats/small_p64_n16_r3.jsonl", "small");
        var current = slow with { Runs = [.. slow.Runs, .. extra.Runs] };
        return new Detector(new DetectionSettings(Thresholds.Uniform(5)))
            .Compare(Side("llama-bench/ab-cpu-long/ab_long_fast.jsonl", "ab_long_fast.jsonl"), current, new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Markdown_report_matches_the_golden_file() => Golden.AssertMatches("regression-report.md", MarkdownReport.Render(Report()));

    [Fact]
    public void Json_report_matches_the_golden_file() => Golden.AssertMatches("regression-report.json", JsonReport.Render(Report()) + "\n");

    [Fact]
    public void Markdown_report_has_the_spec_shape()
    {
        var md = MarkdownReport.Render(Report());
        foreach (var line in new[]
        {
            "# Performance Regression Analysis Report", "**Generated:** 2026-11-27 12:00:00", "**Threshold:** 5.0%", "## Summary",
            "- Total Benchmarks Compared: 2", "- Regressions Found: 2", "- Improvements Found: 0", "- Stable Benchmarks: 0",
            "## ⚠️ Performance Regressions Detected", "### tiny-llama-large-f32 | backend:CPU | p:512 | g:0 | pp512", "⚠️ **Average Tokens/Second**:",
            "- Baseline: 7342.56 tokens/s",
        })
        {
            Assert.Contains(line, md, StringComparison.Ordinal);
        }

        Assert.Matches(@"- Change: ↓ 66\.\d\d%", md);
    }
}
