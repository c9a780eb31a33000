using BenchGate.Memory;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Memory;

public sealed class LlamaMemoryLogTests
{
    [Fact]
    public void The_verbose_log_gives_the_model_and_each_contexts_buffers_per_device()
    {
        var profile = LlamaMemoryLog.Parse(File.ReadLines(Fixtures.Path("llama-bench/logs/cpu_verbose.stderr.log")));
        Assert.Equal((4.69, "mmap"), (profile.ModelFileMiB, profile.LoadMode));
        Assert.Equal([new LlamaBuffer("model", "CPU_Mapped", 4.69)], profile.ModelBuffers);
        // One context per test (pp64, tg16): the same KV cache and output buffer, a compute buffer sized by the batch.
        Assert.Equal(2, profile.Contexts.Count);
        Assert.All(profile.Contexts, c => Assert.Equal(256, c.NCtx));
        Assert.Equal([0.69, 0.17], profile.Contexts.Select(c => c.Buffers.Single(b => b.Kind == "compute").MiB));
        Assert.Equal(0.38, profile.Contexts[1].Buffers.Single(b => b.Kind == "kv").MiB);

        var devices = profile.Devices();
        Assert.Equal(["CPU", "CPU_Mapped"], devices.Select(d => d.Device));
        Assert.Equal(0.38 + 0.69, devices[0].PeakMiB, 6);
        var findings = LlamaMemoryLog.Findings("cpu_verbose.stderr.log", profile, new MemoryThresholds());
        Assert.All(findings, f => Assert.Equal(MemoryFindingKind.Ok, f.Kind));
    }

    [Fact]
    public void Buffers_that_grow_between_contexts_of_one_configuration_and_failed_statuses_are_findings()
    {
        var lines = File.ReadLines(Fixtures.Path("llama-bench/logs/cpu_verbose.stderr.log")).ToList();
        // The log of a build whose second context of the same test allocated a 3 MiB larger compute buffer.
        var twice = lines.Concat(lines.Skip(163).Take(65).Select(l => l.Replace("compute buffer size =     0.69 MiB", "compute buffer size =     3.69 MiB", StringComparison.Ordinal)))
            .Append("llama_decode: memory status = 3").ToList();
        var profile = LlamaMemoryLog.Parse(twice);
        Assert.Equal(3, profile.Contexts.Count);
        var findings = LlamaMemoryLog.Findings("log", profile, new MemoryThresholds());
        var growth = Assert.Single(findings, f => f.Kind == MemoryFindingKind.Growth && f.MemoryStatus is null);
        Assert.Equal(3.0 * 1.048576, growth.LeakedMb!.Value, 3);
        Assert.Contains(findings, f => f.MemoryStatus == 3 && f.Details.Contains("FAILED_COMPUTE", StringComparison.Ordinal));
    }

    [Fact]
    public void A_steady_slope_is_a_leak_and_a_step_at_startup_is_not()
    {
        // 2 MB per second for 10 s after a 100 MB load in the first second.
        var growing = Enumerable.Range(0, 200).Select(i => new MemorySample(i * 0.05, (long)((100 + (i * 0.05 * 2)) * MemoryFinding.BytesPerMb))).ToList();
        var trend = RssTrend.Analyse(growing)!;
        Assert.Equal(2.0, trend.SlopeMbPerSecond, 3);
        Assert.Equal(MemoryFindingKind.Leak, RssTrend.Findings("p", "rss", trend, new MemoryThresholds())[0].Kind);

        var step = Enumerable.Range(0, 200).Select(i => new MemorySample(i * 0.05, (long)((i < 20 ? 5 : 100) * MemoryFinding.BytesPerMb))).ToList();
        var flat = RssTrend.Analyse(step)!;
        Assert.Equal(0, flat.GrowthMb, 6);
        var findings = RssTrend.Findings("p", "rss", flat, new MemoryThresholds(ExcessiveGb: 0.05));
        Assert.Equal([MemoryFindingKind.Ok, MemoryFindingKind.Excessive], findings.Select(f => f.Kind));
    }
}

public sealed class MemoryJsonTests
{
    [Fact]
    public void The_json_report_keeps_to_its_schema()
    {
        var profile = LlamaMemoryLog.Parse(File.ReadLines(Fixtures.Path("llama-bench/logs/cpu_verbose.stderr.log")));
        var findings = LlamaMemoryLog.Findings("cpu_verbose.stderr.log", profile, new MemoryThresholds());
        var samples = Enumerable.Range(0, 100).Select(i => new MemorySample(i * 0.05, (long)((10 + i) * MemoryFinding.BytesPerMb))).ToList();
        findings.AddRange(RssTrend.Findings("./prog", "rss", RssTrend.Analyse(samples)!, new MemoryThresholds()));
        using var buffer = new MemoryStream();
        BenchGate.Reports.MemoryJson.Write(new MemoryCheckReport(DateTimeOffset.UnixEpoch, "abc123", new MemoryThresholds(), findings, [profile], []), buffer);
        var json = System.Text.Json.JsonDocument.Parse(buffer.ToArray()).RootElement;
        var schemaPath = Fixtures.RepoFile("docs/memory-report.schema.json");
        var schema = Json.Schema.JsonSchema.FromText(File.ReadAllText(schemaPath));
        var result = schema.Evaluate(json, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", result.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
        Assert.True(json.GetProperty("failed").GetBoolean());
        Assert.Equal(1, json.GetProperty("summary").GetProperty("leaks").GetInt32());
    }
}
