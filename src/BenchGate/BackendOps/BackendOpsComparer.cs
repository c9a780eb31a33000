using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Reports;
using BenchGate.Statistics;

namespace BenchGate.BackendOps;

/// <summary>
/// compare-llama-bench.py's test-backend-ops mode: cases keyed by backend, op, params and mode, only those
/// supported and passed on both sides, compared on FLOPS when both sides have them and on bandwidth otherwise —
/// plus a verdict. Each row of a side is one measurement; several rows of a case are its runs.
/// </summary>
public static class BackendOpsComparer
{
    private static readonly string[] Keys = ["backend_name", "op_name", "op_params", "test_mode"];
    private static readonly Dictionary<string, string> Pretty = new(StringComparer.Ordinal)
    {
        ["backend_name"] = "Backend",
        ["op_name"] = "GGML op",
        ["op_params"] = "Op parameters",
        ["test_mode"] = "Mode",
    };

    public static CompareResult Compare(IReadOnlyList<BackendOpResult> baseline, IReadOnlyList<BackendOpResult> current, string baselineName, string compareName, CompareSettings settings)
    {
        var b = baseline.Where(r => r.Supported && r.Passed).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.ToList());
        var c = current.Where(r => r.Supported && r.Passed).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.ToList());
        var shared = b.Keys.Where(c.ContainsKey).ToList();
        if (shared.Count == 0)
        {
            throw new InputException($"no comparable data was found between {baselineName} and {compareName}: no operation was supported, passed and measured on both");
        }

        var shown = Shown(shared, settings.Show);
        var pending = new List<(string[] Shown, double B, double C, bool Flops, ChangeEstimate? Estimate)>();
        foreach (var key in shared.OrderBy(k => string.Join('\u0001', shown.Select(f => Field(k, f))), StringComparer.Ordinal))
        {
            var useFlops = b[key].All(r => r.Flops > 0) && c[key].All(r => r.Flops > 0);
            var useBandwidth = !useFlops && b[key].All(r => r.BandwidthGbS > 0) && c[key].All(r => r.BandwidthGbS > 0);
            double Value(BackendOpResult r) => useFlops ? r.Flops : useBandwidth ? r.BandwidthGbS : double.NaN;
            var bv = b[key].Select(Value).ToList();
            var cv = c[key].Select(Value).ToList();
            var estimate = useFlops || useBandwidth
                ? ChangeAnalysis.Analyse([.. bv.Select((v, i) => new RunValue($"b{i}", v, null, null))], [.. cv.Select((v, i) => new RunValue($"c{i}", v, null, null))], [], settings.Detection.Alpha, false)
                : null;
            pending.Add(([.. shown.Select(f => Field(key, f))], bv.Average(), cv.Average(), useFlops, estimate));
        }

        var metric = new Metric("throughput", "Throughput", HigherIsBetter: true);
        var withEstimate = pending.Select((p, i) => (p, i)).Where(x => x.p.Estimate is not null).ToList();
        var q = MultipleTesting.BenjaminiHochberg([.. withEstimate.Select(x => x.p.Estimate!.PValue)]);
        var threshold = settings.Detection.Thresholds.DefaultPercent;
        var verdicts = new Dictionary<int, RowVerdict>();
        for (var j = 0; j < withEstimate.Count; j++)
        {
            var (p, i) = withEstimate[j];
            verdicts[i] = new RowVerdict(p.Estimate!, q[j], Detector.Decide(metric, threshold, p.Estimate!, q[j], settings.Detection.Alpha));
        }

        var flopsValues = pending.Where(p => p.Flops).SelectMany(p => new[] { p.B, p.C }).ToList();
        var unit = flopsValues.Count > 0 ? BackendOpsUnits.UnitFor(flopsValues) : pending.Any(p => !double.IsNaN(p.B)) ? "Bandwidth (GB/s)" : "FLOPS";
        var rows = pending.Select((p, i) => new CompareRow(p.Shown, null, p.B, p.C, verdicts.GetValueOrDefault(i), InBandwidth: !p.Flops)).ToList();
        var notes = new List<string>();
        var onlyOne = b.Count + c.Count - (2 * shared.Count);
        if (onlyOne > 0)
        {
            notes.Add($"not in the table: {b.Count - shared.Count} operations only in {baselineName}, {c.Count - shared.Count} only in {compareName} (or not supported/passed on one side)");
        }

        if (flopsValues.Count > 0 && pending.Any(p => !p.Flops))
        {
            notes.Add("rows without FLOPS on both sides are compared on bandwidth (GB/s), in the same columns");
        }

        return new CompareResult("test-backend-ops", baselineName, compareName, [.. shown.Select(f => Pretty[f])], [.. shown.Select(_ => false)], unit, rows, threshold, settings.Detection.Alpha, null, notes);
    }

    private static List<string> Shown(List<(string Backend, string Op, string Params, string Mode)> keys, IReadOnlyList<string>? requested)
    {
        if (requested is not null)
        {
            var unknown = requested.Where(r => !Keys.Contains(r)).ToList();
            return unknown.Count > 0
                ? throw new InputException($"unknown values for --show: {string.Join(", ", unknown)} (allowed for test-backend-ops: {string.Join(", ", Keys)})")
                : [.. requested.Distinct(), .. Keys.Where(k => !requested.Contains(k) && keys.Any(x => Field(x, k) != Field(keys[0], k)))];
        }

        return ["backend_name", "op_name", .. Keys.Skip(2).Where(k => keys.Any(x => Field(x, k) != Field(keys[0], k)))];
    }

    private static string Field((string Backend, string Op, string Params, string Mode) key, string field) => field switch
    {
        "backend_name" => key.Backend,
        "op_name" => key.Op,
        "op_params" => key.Params,
        _ => key.Mode,
    };
}
