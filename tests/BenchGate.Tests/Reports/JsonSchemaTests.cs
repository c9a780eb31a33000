using System.Text.Json;
using BenchGate.Tests.Shared;
using Json.Schema;

namespace BenchGate.Tests.Reports;

/// <summary>The JSON report keeps to its published schema (docs/regression-report.schema.json).</summary>
public sealed class JsonSchemaTests
{
    // JsonSchema.Net registers a schema's $id once per process: every test that checks a detect report shares this one.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(Fixtures.RepoFile("docs/regression-report.schema.json"))));

    /// <summary>docs/regression-report.schema.json, loaded once.</summary>
    internal static JsonSchema RegressionSchema => Schema.Value;

    [Fact]
    public void The_report_validates_against_the_schema_and_a_broken_one_does_not()
    {
        var schema = RegressionSchema;
        var report = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Fixtures.RepoFile("tests/BenchGate.Tests/BenchGate.Tests.csproj"))!, "Expected", "regression-report.json"));
        var ok = schema.Evaluate(JsonDocument.Parse(report).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(ok.IsValid, string.Join("; ", ok.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));

        var broken = report.Replace("\"verdict\": \"regression\"", "\"verdict\": \"worse\"", StringComparison.Ordinal);
        Assert.False(schema.Evaluate(JsonDocument.Parse(broken).RootElement).IsValid);
    }
}
