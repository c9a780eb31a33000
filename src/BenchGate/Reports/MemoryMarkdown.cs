using System.Globalization;
using System.Text;
using BenchGate.Memory;

namespace BenchGate.Reports;

/// <summary>The spec's memory report: leaks with Initial Memory / Final Memory / Leaked per source, excessive use, then everything checked.</summary>
public static class MemoryMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(MemoryCheckReport r)
    {
        var sb = new StringBuilder();
        sb.Append("# Memory Leak Monitoring Report\n\n");
        sb.Append(Inv, $"**Generated:** {r.Generated.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv)}\n");
        sb.Append(Inv, $"**Commit:** {r.Commit ?? "unknown"}\n");
        sb.Append(Inv, $"**Leak threshold:** {r.Thresholds.LeakMb:0.###} MB · **Excessive threshold:** {r.Thresholds.ExcessiveGb:0.###} GB\n\n");
        sb.Append("## Summary\n");
        sb.Append(Inv, $"- Sources checked: {r.Findings.Select(f => f.Source).Distinct().Count()}\n");
        sb.Append(Inv, $"- Memory leaks: {r.Leaks.Count()}\n");
        sb.Append(Inv, $"- Excessive memory usage: {r.Excessive.Count()}\n");
        sb.Append(Inv, $"- Buffer growth or failed memory status: {r.Growth.Count()}\n");
        if (r.Regressions.Count > 0)
        {
            sb.Append(Inv, $"- Peak-memory regressions: {r.Regressions.Count(x => x.Verdict == Detection.Verdict.Regression)} of {r.Regressions.Count}\n");
        }

        sb.Append('\n');
        if (!r.Leaks.Any())
        {
            sb.Append("## ✅ No Memory Leaks Detected\n\n");
        }
        else
        {
            sb.Append("## ⚠️ Memory Leaks Detected\n\n");
            foreach (var f in r.Leaks)
            {
                sb.Append(Inv, $"### {Title(f)}\n\n");
                sb.Append(Inv, $"- Initial Memory: {Mb(f.InitialMb)}\n");
                sb.Append(Inv, $"- Final Memory: {Mb(f.FinalMb)}\n");
                sb.Append(Inv, $"- Leaked: {Mb(f.LeakedMb)}{(f.LeakedBytes is { } b ? string.Create(Inv, $" ({b:N0} bytes in {f.LeakedObjects} objects)") : "")}\n");
                sb.Append(Inv, $"- Detector: {f.Detector} — {f.Details}\n\n");
            }
        }

        if (r.Excessive.Any())
        {
            sb.Append("## ⚠️ Excessive Memory Usage\n\n");
            foreach (var f in r.Excessive)
            {
                sb.Append(Inv, $"- {Title(f)}: peak {Mb(f.PeakMb)} — {f.Details}\n");
            }

            sb.Append('\n');
        }

        if (r.Growth.Any())
        {
            sb.Append("## ⚠️ Buffer Growth and Memory Status\n\n");
            foreach (var f in r.Growth)
            {
                sb.Append(Inv, $"- {Title(f)}: {f.Details}\n");
            }

            sb.Append('\n');
        }

        if (r.Regressions.Count > 0)
        {
            sb.Append("## Peak Memory Against the Baseline\n\n| Source | Baseline | Current | Change | 98% CI | Verdict |\n| --- | ---: | ---: | ---: | --- | --- |\n");
            foreach (var x in r.Regressions)
            {
                var e = x.Estimate;
                sb.Append(Inv, $"| {Cell(x.Source)} | {e.BaselineValue:F1} MB | {e.CurrentValue:F1} MB | {e.ChangePercent:+0.0;-0.0}% | [{e.CiLowPercent:+0.0;-0.0}%, {e.CiHighPercent:+0.0;-0.0}%] | {x.Verdict} |\n");
            }

            sb.Append('\n');
        }

        foreach (var p in r.Profiles.Where(p => p.Contexts.Count + p.ModelBuffers.Count > 0))
        {
            sb.Append(Inv, $"## llama.cpp Buffers ({p.Contexts.Count} contexts{(p.LoadMode is null ? "" : $", load_mode {p.LoadMode}")})\n\n");
            sb.Append("| Device | Model | KV cache | Compute | Output | Peak |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
            foreach (var d in p.Devices())
            {
                sb.Append(Inv, $"| {d.Device} | {d.ModelMiB:F2} MiB | {d.KvMiB:F2} MiB | {d.ComputeMiB:F2} MiB | {d.OutputMiB:F2} MiB | {d.PeakMiB:F2} MiB |\n");
            }

            sb.Append('\n');
        }

        sb.Append("## All Findings\n\n| Source | Test | Detector | Kind | Peak | Leaked | Details |\n| --- | --- | --- | --- | ---: | ---: | --- |\n");
        foreach (var f in r.Findings)
        {
            sb.Append(Inv, $"| {Cell(f.Source)} | {Cell(f.TestName ?? "")} | {f.Detector} | {f.Kind.ToString().ToLowerInvariant()} | {Mb(f.PeakMb)} | {Mb(f.LeakedMb)} | {Cell(f.Details)} |\n");
        }

        return sb.ToString();
    }

    private static string Title(MemoryFinding f) => f.TestName is null ? f.Source : $"{f.TestName} ({f.Source})";

    private static string Mb(double? mb) => mb is { } v ? v.ToString("F2", Inv) + " MB" : "–";

    private static string Cell(string text) => ReportText.TableCell(text).Replace("\n", " ", StringComparison.Ordinal);
}
