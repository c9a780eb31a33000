namespace BenchGate.Profiling;

/// <summary>One function in both builds' profiles.</summary>
/// <param name="Module">The module's file name (the new build's, when the executables are named differently).</param>
/// <param name="Symbol">The function.</param>
/// <param name="BaselineSamples">Its samples in the baseline's run.</param>
/// <param name="NewSamples">Its samples in the new build's run.</param>
/// <param name="BaselinePeriod">Its event count in the baseline's run.</param>
/// <param name="NewPeriod">Its event count in the new build's run.</param>
/// <param name="BaselineShare">Its share of the baseline's samples, 0–1.</param>
/// <param name="NewShare">Its share of the new build's samples, 0–1.</param>
/// <param name="CostChange">
/// Its event count in the new build minus the baseline's, over the baseline's whole profile: +0.30 means the function
/// now costs what 30% of the baseline's run cost more. Shares alone mislead: when one function slows, every other
/// function's share falls although its cost did not move.
/// </param>
/// <param name="Z">The change in sample counts in standard deviations of their Poisson sampling noise.</param>
public sealed record FunctionChange(string Module, string Symbol, long BaselineSamples, long NewSamples, double BaselinePeriod, double NewPeriod,
    double BaselineShare, double NewShare, double CostChange, double Z)
{
    /// <summary>The threshold beyond which a change is more than sampling noise (about 1 in 370 by chance alone).</summary>
    public const double ClearZ = 3;

    public bool Clear => Math.Abs(Z) >= ClearZ;
}

/// <summary>Two builds' profiles side by side: totals and every function, the largest change in cost first.</summary>
public sealed record ProfileDelta(CpuProfile Baseline, CpuProfile New, IReadOnlyList<FunctionChange> Functions)
{
    /// <summary>The new build's whole profile against the baseline's, as a ratio of event counts (1.25: 25% more).</summary>
    public double TotalRatio => Baseline.TotalPeriod > 0 ? New.TotalPeriod / Baseline.TotalPeriod : double.NaN;

    /// <param name="baseline">The baseline build's profile.</param>
    /// <param name="current">The new build's profile.</param>
    /// <param name="moduleAliases">
    /// Baseline module names to read as new ones: the two builds' executables may be named differently
    /// (llama-bench-old and llama-bench) and their functions are still the same functions.
    /// </param>
    public static ProfileDelta Compare(CpuProfile baseline, CpuProfile current, IReadOnlyDictionary<string, string>? moduleAliases = null)
    {
        var baseTotal = baseline.TotalPeriod;
        var baseSamples = Math.Max(1, baseline.TotalSamples);
        var newSamples = Math.Max(1, current.TotalSamples);
        var rows = new Dictionary<(string Module, string Symbol), (FunctionSamples? Old, FunctionSamples? New)>();
        foreach (var f in baseline.Functions)
        {
            var key = (moduleAliases?.GetValueOrDefault(f.Module) ?? f.Module, f.Symbol);
            rows[key] = (Merge(rows.GetValueOrDefault(key).Old, f), null);
        }

        foreach (var f in current.Functions)
        {
            var key = (f.Module, f.Symbol);
            var row = rows.GetValueOrDefault(key);
            rows[key] = (row.Old, Merge(row.New, f));
        }

        var changes = rows.Select(kv =>
        {
            var (o, n) = kv.Value;
            long os = o?.Samples ?? 0, ns = n?.Samples ?? 0;
            double op = o?.Period ?? 0, np = n?.Period ?? 0;
            var z = os + ns == 0 ? 0 : (ns - os) / Math.Sqrt(os + ns);
            return new FunctionChange(kv.Key.Module, kv.Key.Symbol, os, ns, op, np, (double)os / baseSamples, (double)ns / newSamples,
                baseTotal > 0 ? (np - op) / baseTotal : 0, z);
        });
        return new ProfileDelta(baseline, current,
            [.. changes.OrderByDescending(c => Math.Abs(c.CostChange)).ThenByDescending(c => Math.Abs(c.Z)).ThenBy(c => c.Symbol, StringComparer.Ordinal)]);
    }

    private static FunctionSamples Merge(FunctionSamples? a, FunctionSamples b) =>
        a is null ? b : a with { Samples = a.Samples + b.Samples, Period = a.Period + b.Period };
}
