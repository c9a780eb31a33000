using System.Globalization;
using BenchGate.Statistics;

namespace BenchGate.Memory;

/// <summary>A memory sample of a running process: seconds since start and resident bytes (RSS, or GPU memory).</summary>
public readonly record struct MemorySample(double Seconds, long Bytes);

/// <summary>What a series of samples shows: levels, peak and the growth through the steady phase.</summary>
public sealed record MemoryTrend(double InitialMb, double FinalMb, double PeakMb, double SlopeMbPerSecond, double GrowthMb, double SteadySeconds, int Samples);

/// <summary>
/// Judges a process's memory over time. A leak is memory that keeps growing through the steady phase — after the
/// first quarter of the run, where a process loads its model and allocates its buffers — measured two robust ways
/// that must agree: the Theil–Sen slope over the steady phase times its length, and the rise from the median of its
/// first fifth to the median of its last fifth. The difference between two arbitrary points (the spec's
/// final − initial) is not used: a model load or a freed cache moves it without any leak.
/// </summary>
public static class RssTrend
{
    public static MemoryTrend? Analyse(IReadOnlyList<MemorySample> samples)
    {
        if (samples.Count < 5)
        {
            return null;
        }

        var start = samples[0].Seconds + ((samples[^1].Seconds - samples[0].Seconds) / 4);
        var steady = samples.Where(s => s.Seconds >= start).ToList();
        if (steady.Count < 5)
        {
            steady = [.. samples];
        }

        var fifth = Math.Max(1, steady.Count / 5);
        var initial = Robust.Median([.. steady.Take(fifth).Select(s => s.Bytes / MemoryFinding.BytesPerMb)]);
        var final = Robust.Median([.. steady.TakeLast(fifth).Select(s => s.Bytes / MemoryFinding.BytesPerMb)]);
        var slope = TheilSen(steady);
        var duration = steady[^1].Seconds - steady[0].Seconds;
        return new MemoryTrend(initial, final, samples.Max(s => s.Bytes) / MemoryFinding.BytesPerMb, slope, Math.Min(slope * duration, final - initial), duration, samples.Count);
    }

    public static List<MemoryFinding> Findings(string source, string detector, MemoryTrend trend, MemoryThresholds thresholds)
    {
        var findings = new List<MemoryFinding>();
        var inv = CultureInfo.InvariantCulture;
        var leak = trend.GrowthMb >= thresholds.LeakMb;
        findings.Add(new MemoryFinding(source, null, detector, leak ? MemoryFindingKind.Leak : MemoryFindingKind.Ok, trend.InitialMb, trend.FinalMb, trend.PeakMb,
            Math.Max(0, trend.GrowthMb), null, null, null,
            string.Create(inv, $"{(leak ? "grows" : "steady")}: {trend.SlopeMbPerSecond:F2} MB/s through the steady phase ({trend.SteadySeconds:F1} s), {trend.InitialMb:F1} → {trend.FinalMb:F1} MB; peak {trend.PeakMb:F1} MB; {trend.Samples} samples")));
        if (trend.PeakMb >= thresholds.ExcessiveMb)
        {
            findings.Add(new MemoryFinding(source, null, detector, MemoryFindingKind.Excessive, trend.InitialMb, trend.FinalMb, trend.PeakMb, null, null, null, null,
                string.Create(inv, $"peak {trend.PeakMb / 1024:F2} GB is above the {thresholds.ExcessiveGb} GB threshold")));
        }

        return findings;
    }

    /// <summary>Median of pairwise slopes (MB per second); a few outlying samples cannot move it.</summary>
    private static double TheilSen(List<MemorySample> samples)
    {
        // Thin long series to at most 300 points: the pairwise slopes are O(n²).
        var step = Math.Max(1, samples.Count / 300);
        var points = samples.Where((_, i) => i % step == 0).ToList();
        var slopes = new List<double>(points.Count * points.Count / 2);
        for (var i = 0; i < points.Count; i++)
        {
            for (var j = i + 1; j < points.Count; j++)
            {
                var dt = points[j].Seconds - points[i].Seconds;
                if (dt > 0)
                {
                    slopes.Add((points[j].Bytes - points[i].Bytes) / MemoryFinding.BytesPerMb / dt);
                }
            }
        }

        return slopes.Count == 0 ? 0 : Robust.Median([.. slopes]);
    }
}
