using System.Text.Json;
using BenchGate.Profiling;

namespace BenchGate.Reports;

/// <summary>profile's JSON report (docs/profile-report.schema.json).</summary>
public static class ProfileJson
{
    public const string SchemaId = "https://benchgate.dev/schemas/profile-report-v1.json";

    public static string Render(ProfileComparison p, int top) => JsonReportWriter.ToText(output => Write(p, top, output));

    public static void Write(ProfileComparison p, int top, Stream output)
    {
        using var w = JsonReportWriter.Create(output);
        w.WriteStartObject();
        w.WriteString("schema", SchemaId);
        w.WriteString("subject", p.Subject);
        w.WriteString("baseline_bench", p.BaselineBench);
        w.WriteString("new_bench", p.NewBench);
        w.WriteStartArray("args");
        foreach (var a in p.Args)
        {
            w.WriteStringValue(a);
        }

        w.WriteEndArray();
        w.WriteString("event", p.Cpu.New.Event);
        w.WriteNumber("frequency", p.Frequency);
        Side(w, "baseline", p.Cpu.Baseline);
        Side(w, "new", p.Cpu.New);
        JsonNumbers.Write(w, "total_ratio", p.Cpu.TotalRatio, 6);
        w.WriteStartArray("speeds");
        foreach (var s in p.Speeds)
        {
            w.WriteStartObject();
            w.WriteString("benchmark", s.Benchmark);
            JsonNumbers.Write(w, "baseline_ts", s.BaselineTokensPerSecond, 4);
            JsonNumbers.Write(w, "new_ts", s.NewTokensPerSecond, 4);
            JsonNumbers.Write(w, "change_pct", s.ChangePercent, 4);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("functions_total", p.Cpu.Functions.Count);
        w.WriteStartArray("functions");
        foreach (var f in p.Top(top))
        {
            w.WriteStartObject();
            w.WriteString("symbol", f.Symbol);
            w.WriteString("module", f.Module);
            w.WriteNumber("baseline_samples", f.BaselineSamples);
            w.WriteNumber("new_samples", f.NewSamples);
            JsonNumbers.Write(w, "baseline_period", f.BaselinePeriod, 0);
            JsonNumbers.Write(w, "new_period", f.NewPeriod, 0);
            JsonNumbers.Write(w, "baseline_share", f.BaselineShare, 6);
            JsonNumbers.Write(w, "new_share", f.NewShare, 6);
            JsonNumbers.Write(w, "cost_change", f.CostChange, 6);
            JsonNumbers.Write(w, "z", f.Z, 3);
            w.WriteString("verdict", !f.Clear ? "noise" : f.CostChange > 0 ? "slower" : "faster");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (p.Counters is { } counters)
        {
            w.WriteStartArray("counters");
            foreach (var c in counters)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("unit", c.Unit);
                JsonNumbers.Write(w, "baseline", c.Baseline, 4);
                JsonNumbers.Write(w, "new", c.New, 4);
                JsonNumbers.Write(w, "change_pct", c.ChangePercent, 4);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("counters");
        }

        if (p.GpuKernels is { } kernels)
        {
            w.WriteStartArray("gpu_kernels");
            foreach (var k in kernels)
            {
                w.WriteStartObject();
                w.WriteString("name", k.Name);
                JsonNumbers.Write(w, "baseline_ns", k.BaselineNs);
                JsonNumbers.Write(w, "new_ns", k.NewNs);
                w.WriteNumber("baseline_launches", k.BaselineInstances);
                w.WriteNumber("new_launches", k.NewInstances);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteStartArray("notes");
        foreach (var n in p.Notes)
        {
            w.WriteStringValue(n);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Side(Utf8JsonWriter w, string name, CpuProfile p)
    {
        w.WriteStartObject(name);
        w.WriteNumber("samples", p.TotalSamples);
        JsonNumbers.Write(w, "period", p.TotalPeriod, 0);
        JsonNumbers.Write(w, "resolved_share", p.ResolvedShare, 6);
        w.WriteEndObject();
    }
}
