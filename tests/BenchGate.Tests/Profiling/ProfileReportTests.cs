using System.Text.Json;
using BenchGate.Profiling;
using BenchGate.Reports;
using BenchGate.Tests.Shared;
using Json.Schema;

namespace BenchGate.Tests.Profiling;

/// <summary>profile's reports from the recorded profiles of a build whose vec_dot does twice the work.</summary>
public sealed class ProfileReportTests
{
    private static ProfileComparison Comparison(bool counters)
    {
        var old = PerfReportParser.Parse(Fixtures.Text("perf/report-old.txt"), "old");
        var now = PerfReportParser.Parse(Fixtures.Text("perf/report-new.txt"), "new");
        var stat = PerfStatParser.Parse(Fixtures.Text("perf/stat.txt"), "stat");
        var baseStat = stat.Select(c => c.Name == "task-clock" ? c with { Value = 47.5 } : c).ToList();
        return new ProfileComparison("../master/build/bin/old", "build/bin/new", ["-m", "tiny.gguf", "-p", "512", "-n", "0", "-r", "10"], 999,
            ProfileDelta.Compare(old, now, new Dictionary<string, string> { ["old"] = "new" }),
            [new ProfiledSpeed("tiny | pp512", 10_700.5, 6_201.25)], counters ? ProfileComparison.PairCounters(baseStat, stat) : null,
            "alert 3, tiny | pp512 (avg_ts)", ["A note | with a pipe."]);
    }

    [Fact]
    public void The_markdown_report_is_pinned()
    {
        Golden.AssertMatches("profile.md", ProfileMarkdown.Render(Comparison(counters: true), top: 3));
    }

    [Fact]
    public void The_json_report_validates_against_its_schema_with_and_without_counters()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Fixtures.RepoFile("docs/profile-report.schema.json")));
        foreach (var counters in new[] { true, false })
        {
            var json = ProfileJson.Render(Comparison(counters), top: 2);
            var result = schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, string.Join("; ", result.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
            using var doc = JsonDocument.Parse(json);
            var functions = doc.RootElement.GetProperty("functions");
            Assert.Equal(2, functions.GetArrayLength());
            Assert.Equal(("vec_dot", "slower"), (functions[0].GetProperty("symbol").GetString(), functions[0].GetProperty("verdict").GetString()));
            Assert.Equal(4, doc.RootElement.GetProperty("functions_total").GetInt32());
            Assert.Equal(counters ? JsonValueKind.Array : JsonValueKind.Null, doc.RootElement.GetProperty("counters").ValueKind);
        }

        var broken = ProfileJson.Render(Comparison(true), top: 2).Replace("\"verdict\": \"slower\"", "\"verdict\": \"worse\"", StringComparison.Ordinal);
        Assert.False(schema.Evaluate(JsonDocument.Parse(broken).RootElement).IsValid);
    }
}
