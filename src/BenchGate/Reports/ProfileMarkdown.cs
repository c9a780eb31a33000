using System.Globalization;
using System.Text;
using BenchGate.Profiling;

namespace BenchGate.Reports;

/// <summary>profile's markdown report: the profiled speeds, the functions whose cost changed most, perf stat's counters.</summary>
public static class ProfileMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(ProfileComparison p, int top)
    {
        var sb = new StringBuilder();
        var cpu = p.Cpu;
        sb.AppendLine(Inv, $"## 🔬 Profile{(p.Subject is null ? "" : $": {Cell(p.Subject)}")}").AppendLine();
        sb.AppendLine(Inv, $"**Baseline:** `{p.BaselineBench}` · **New:** `{p.NewBench}`  ");
        sb.AppendLine(Inv, $"**Run:** `llama-bench {string.Join(' ', p.Args)}` once each under `perf record -F {p.Frequency}` (event {cpu.New.Event})").AppendLine();
        if (p.Speeds.Count > 0)
        {
            sb.AppendLine("| Benchmark | Baseline t/s | New t/s | Change |");
            sb.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var s in p.Speeds)
            {
                sb.AppendLine(Inv, $"| {Cell(s.Benchmark)} | {s.BaselineTokensPerSecond:F2} | {s.NewTokensPerSecond:F2} | {ValueFormat.Change(s.ChangePercent)} |");
            }

            sb.AppendLine();
        }

        sb.AppendLine(Inv, $"Sampled: baseline {Total(cpu.Baseline)}, new {Total(cpu.New)}: {Ratio(cpu.TotalRatio)}.").AppendLine();
        var functions = p.Top(top);
        if (functions.Count > 0)
        {
            sb.AppendLine("### Functions Whose Cost Changed Most").AppendLine();
            sb.AppendLine("| Function | Module | Baseline share | New share | Change in cost | Samples | |");
            sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
            foreach (var f in functions)
            {
                var mark = !f.Clear ? "noise" : f.CostChange > 0 ? "⚠️ slower" : "✅ faster";
                sb.AppendLine(Inv, $"| `{Cell(f.Symbol)}` | {Cell(f.Module)} | {Share(f.BaselineShare)} | {Share(f.NewShare)} | {Cost(f, cpu)} | {f.BaselineSamples} → {f.NewSamples} | {mark} |");
            }

            sb.AppendLine();
            sb.AppendLine(Inv, $"Change in cost: the function's samples in the new run minus the baseline's, as a share of the baseline's whole profile{(cpu.New.CountsTime ? " (and in CPU time)" : "")}. " +
                $"Shares alone mislead: when one function slows, every other function's share falls. \"noise\": the sample counts differ by less than {FunctionChange.ClearZ.ToString("0", Inv)} standard deviations of sampling noise.");
            sb.AppendLine();
        }

        if (p.Counters is { Count: > 0 } counters)
        {
            sb.AppendLine("### Counters (perf stat)").AppendLine();
            sb.AppendLine("| Counter | Baseline | New | Change |");
            sb.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var c in counters)
            {
                sb.AppendLine(Inv, $"| {c.Name}{(c.Unit.Length > 0 ? $" ({c.Unit})" : "")} | {Counter(c.Baseline)} | {Counter(c.New)} | {(c.ChangePercent is { } pct ? ValueFormat.Change(pct) : "")} |");
            }

            sb.AppendLine();
        }

        if (p.GpuKernels is { Count: > 0 } kernels)
        {
            sb.AppendLine("### GPU Kernels Whose Time Changed Most (Nsight Systems)").AppendLine();
            sb.AppendLine("| Kernel | Baseline ms | New ms | Change | Launches |");
            sb.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var k in kernels)
            {
                var change = k.NewNs is not { } n ? "gone" : k.BaselineNs is not ({ } b and > 0) ? "new" : ValueFormat.Change((((double)n / b) - 1) * 100);
                sb.AppendLine(Inv, $"| `{Cell(k.Name)}` | {Ms(k.BaselineNs)} | {Ms(k.NewNs)} | {change} | {k.BaselineInstances} → {k.NewInstances} |");
            }

            sb.AppendLine();
        }

        foreach (var note in p.Notes)
        {
            sb.AppendLine(Inv, $"> {note}").AppendLine();
        }

        return sb.ToString();
    }

    private static string Ms(long? ns) => ns is { } x ? (x / 1e6).ToString("F3", Inv) : "";

    private static string Total(CpuProfile p) =>
        (p.CountsTime ? (p.TotalPeriod / 1e9).ToString("F2", Inv) + " s of CPU time in " : "") + p.TotalSamples.ToString("N0", Inv) + " samples";

    private static string Ratio(double r) => double.IsFinite(r) ? ValueFormat.Change((r - 1) * 100) + " in total" : "no baseline samples to compare with";

    private static string Share(double s) => (s * 100).ToString("F1", Inv) + "%";

    private static string Cost(FunctionChange f, ProfileDelta cpu)
    {
        var pct = (f.CostChange * 100).ToString("+0.0;-0.0;0.0", Inv) + "%";
        return cpu.New.CountsTime ? $"{pct} ({((f.NewPeriod - f.BaselinePeriod) / 1e6).ToString("+0;-0;0", Inv)} ms)" : pct;
    }

    private static string Counter(double? v) => v switch
    {
        null => "not supported",
        { } x when Math.Abs(x) >= 1e6 => x.ToString("N0", Inv),
        { } x => x.ToString("0.##", Inv),
    };

    private static string Cell(string text) => ReportText.TableCell(text).Replace("`", "'", StringComparison.Ordinal);
}
