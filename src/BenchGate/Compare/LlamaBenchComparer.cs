using System.Globalization;
using BenchGate.Detection;
using BenchGate.Model;

namespace BenchGate.Compare;

/// <summary>
/// compare-llama-bench.py's table for llama-bench results, computed right: rows pair whole benchmark keys, each
/// side's value is the mean t/s of its runs weighted by their repetitions, and every row carries detect's verdict.
/// </summary>
public static class LlamaBenchComparer
{
    private static readonly HashSet<string> TestFields = ["n_prompt", "n_gen", "n_depth"];

    public static CompareResult Compare(ComparisonSide baseline, ComparisonSide current, string baselineName, string compareName, CompareSettings settings, INoiseHistory? history = null) =>
        Compare(baseline, current, baselineName, compareName, settings,
            new Detector(settings.Detection with { Metrics = [Metric.TokensPerSecond] }, history).Compare(baseline, current, DateTimeOffset.UtcNow));

    /// <summary>
    /// The comparison with verdicts a detect report already made (its t/s comparisons; other metrics are left out):
    /// detect --matrix arranges its own rows without analysing them a second time.
    /// </summary>
    public static CompareResult Compare(ComparisonSide baseline, ComparisonSide current, string baselineName, string compareName, CompareSettings settings, DetectionReport detection)
    {
        var verdicts = detection.Comparisons.Where(c => c.Metric == Metric.TokensPerSecond).ToDictionary(c => c.Key);
        var b = MeansByKey(baseline);
        var c = MeansByKey(current);
        var keys = b.Keys.Where(c.ContainsKey).ToList();
        if (keys.Count == 0)
        {
            throw new InputException($"no comparable data was found between {baselineName} and {compareName}: no benchmark configuration was run on both"
                + Differences(b.Keys, c.Keys));
        }

        var (shown, notes) = CompareColumns.Choose(keys, settings.Show);
        if (settings.PlotX is { } px && !TestFields.Contains(px) && CompareColumns.FieldNamed(px) is { } field && !shown.Contains(field))
        {
            shown.Add(field);
        }

        // Each key's sort fields are read and parsed once, not in every comparison of the sort.
        var sortFields = shown.Concat(["n_gen", "n_prompt", "n_depth"]).Select(BenchmarkKey.IndexOf).ToArray();
        var rows = keys
            .Select(k => (Key: k, Sort: sortFields.Select(i => SortValue.Of(k.ValueAt(i))).ToArray()))
            .OrderBy(x => x.Sort, SortValue.ArrayComparer)
            .ThenBy(x => x.Key, BenchmarkKey.CanonicalOrder)
            .Select(x => x.Key)
            .Select(k => new CompareRow(
                [.. shown.Select(f => CompareColumns.Display(f, k[f]))],
                TestLabel.Format(Long(k["n_prompt"]), Long(k["n_gen"]), Long(k["n_depth"])),
                b[k].Value, c[k].Value, verdicts.TryGetValue(k, out var v) ? new RowVerdict(v.Estimate, v.QValue, v.Verdict) : null, PlotX(k, settings.PlotX), Key: k))
            .ToList();
        if (detection.Added.Count + detection.Removed.Count > 0)
        {
            notes.Add($"not in the table: {detection.Removed.Count} benchmarks only in {baselineName}, {detection.Added.Count} only in {compareName}");
        }

        return new CompareResult("llama-bench", baselineName, compareName, [.. shown.Select(CompareColumns.PrettyName)],
            [.. shown.Select(f => rows.All(r => double.TryParse(r.Shown[shown.IndexOf(f)], NumberStyles.Float, CultureInfo.InvariantCulture, out _)))],
            "t/s", rows, detection.ThresholdPercent, detection.Alpha, detection, notes);
    }

    private static double? PlotX(BenchmarkKey k, string? plotX)
    {
        var field = plotX is null ? null : CompareColumns.FieldNamed(plotX);
        return field is not null && double.TryParse(k[field], NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : null;
    }

    private static long Long(string text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    // Each benchmark's mean is summed as the side is read, rather than from a list of its records per benchmark (40,000
    // lists for compare's 20,000 benchmarks; only the sums are needed).
    private static Dictionary<BenchmarkKey, MeanTs> MeansByKey(ComparisonSide side)
    {
        var map = new Dictionary<BenchmarkKey, MeanTs>();
        foreach (var run in side.Runs)
        {
            foreach (var record in run.Records)
            {
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(map, record.Key, out _).Add(record);
            }
        }

        return map;
    }

    /// <summary>
    /// The mean t/s of the runs, each weighted by its repetitions when every run's are known (the script weights every run
    /// alike); with equal repetitions, as in the fixtures, both agree. Summed in the runs' order.
    /// </summary>
    private struct MeanTs
    {
        private double _weighted;
        private long _repetitions;
        private double _sum;
        private int _count;
        private bool _someUnknown;

        public void Add(BenchmarkRecord record)
        {
            if (record.Repetitions is > 0 and var n)
            {
                _weighted += record.AvgTs * n;
                _repetitions += n;
            }
            else
            {
                _someUnknown = true;
            }

            _sum += record.AvgTs;
            _count++;
        }

        public readonly double Value => _someUnknown ? _sum / _count : _weighted / _repetitions;
    }

    /// <summary>Which key columns keep the two sides apart (the script only says "No comparable data").</summary>
    private static string Differences(IEnumerable<BenchmarkKey> baseline, IEnumerable<BenchmarkKey> current)
    {
        var (b, c) = (baseline.FirstOrDefault(), current.FirstOrDefault());
        if (b is null || c is null)
        {
            return b is null ? "; the baseline has no results" : "; the compared build has no results";
        }

        var differing = LlamaBenchSchema.KeyFields.Select(f => f.Name).Where(n => !TestFields.Contains(n) && b[n] != c[n]).Select(n => $"{n} {b[n]} vs {c[n]}").ToList();
        return differing.Count == 0 ? "" : $" (for example, {string.Join(", ", differing.Take(4))})";
    }
}

/// <summary>How to compare: the user's columns, the plot's x axis and detect's settings.</summary>
public sealed record CompareSettings(DetectionSettings Detection, IReadOnlyList<string>? Show = null, string? PlotX = null);
