using System.Text.Json;
using Json.Schema;

namespace BenchGate.Tests.Reports;

/// <summary>The JSON report keeps to its published schema (docs/regression-report.schema.json).</summary>
public sealed class JsonSchemaTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(Path.Combine(dir.FullName, "BenchGate.slnx")) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }

    [Fact]
    public void The_report_validates_against_the_schema_and_a_broken_one_does_not()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(RepoFile("docs/regression-report.schema.json")));
        var report = File.ReadAllText(Path.Combine(Path.GetDirectoryName(RepoFile("tests/BenchGate.Tests/BenchGate.Tests.csproj"))!, "Expected", "regression-report.json"));
        var ok = schema.Evaluate(JsonDocument.Parse(report).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(ok.IsValid, string.Join("; ", ok.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));

        var broken = report.Replace("\"verdict\": \"regression\"", "\"verdict\": \"worse\"", StringComparison.Ordinal);
        Assert.False(schema.Evaluate(JsonDocument.Parse(broken).RootElement).IsValid);
    }
}
