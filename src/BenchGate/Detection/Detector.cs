using BenchGate.Model;
using BenchGate.Statistics;

namespace BenchGate.Detection;

/// <summary>
/// The regression detector: pairs baseline and current by benchmark key, analyses every metric, controls
/// false discoveries over all of them (Benjamini–Hochberg) and gives each a verdict. A Regression needs both a
/// statistically established change and an estimate beyond the threshold.
/// </summary>
public sealed class Detector(DetectionSettings settings, INoiseHistory? history = null)
{
    private readonly INoiseHistory _history = history ?? NoHistory.Instance;

    public DetectionReport Compare(ComparisonSide baseline, ComparisonSide current, DateTimeOffset now)
    {
        var b = ByKey(baseline);
        var c = ByKey(current);
        var shared = b.Keys.Where(c.ContainsKey).ToList();
        var titles = BenchmarkTitle.For([.. b.Keys.Concat(c.Keys).Distinct()]);
        var runIds = baseline.Runs.Concat(current.Runs).Select(r => r.RunId).ToHashSet();

        var ordered = shared.OrderBy(k => titles[k], StringComparer.Ordinal).ToArray();
        var perKey = new List<(BenchmarkKey Key, Metric Metric, double Threshold, ChangeEstimate Estimate)>[ordered.Length];
        // Benchmarks are independent until the false-discovery step, so they are analysed in parallel.
        Parallel.For(0, ordered.Length, i => perKey[i] = Analyse(ordered[i], b[ordered[i]], c[ordered[i]], runIds));
        var pending = perKey.SelectMany(p => p).ToList();

        var q = MultipleTesting.BenjaminiHochberg([.. pending.Select(p => p.Estimate.PValue)]);
        var comparisons = pending.Select((p, i) => new BenchmarkComparison(p.Key, titles[p.Key], p.Metric, p.Threshold, p.Estimate, q[i],
            Decide(p.Metric, p.Threshold, p.Estimate, q[i], settings.Alpha))).ToList();
        return new DetectionReport(now, settings.Thresholds.DefaultPercent, settings.Alpha, baseline.Label, current.Label, comparisons,
            [.. c.Keys.Where(k => !b.ContainsKey(k)).Select(k => (k, titles[k])).OrderBy(t => t.Item2, StringComparer.Ordinal)],
            [.. b.Keys.Where(k => !c.ContainsKey(k)).Select(k => (k, titles[k])).OrderBy(t => t.Item2, StringComparer.Ordinal)]);
    }

    private List<(BenchmarkKey Key, Metric Metric, double Threshold, ChangeEstimate Estimate)> Analyse(
        BenchmarkKey key, List<(string RunId, BenchmarkRecord Record)> baseline, List<(string RunId, BenchmarkRecord Record)> current, IReadOnlySet<string> runIds)
    {
        var result = new List<(BenchmarkKey, Metric, double, ChangeEstimate)>(settings.MetricList.Count);
        var useSamples = baseline.TrueForAll(r => r.Record.SamplesNs is not null) && current.TrueForAll(r => r.Record.SamplesNs is not null);
        foreach (var metric in settings.MetricList)
        {
            var bv = Values(baseline, metric, useSamples);
            var cv = Values(current, metric, useSamples);
            if (bv.Count > 0 && cv.Count > 0)
            {
                var estimate = ChangeAnalysis.Analyse(bv, cv, _history.LogValues(key, metric, runIds), settings.Alpha, useSamples);
                result.Add((key, metric, settings.Thresholds.For(key, metric), estimate));
            }
        }

        return result;
    }

    /// <summary>The verdict rule, on the "badness" scale where positive means worse.</summary>
    public static Verdict Decide(Metric metric, double thresholdPercent, ChangeEstimate e, double q, double alpha)
    {
        var sign = metric.HigherIsBetter ? -1 : 1;
        var bad = sign * Math.Log(1 + (e.ChangePercent / 100));
        var ci = new[] { sign * Math.Log(1 + (e.CiLowPercent / 100)), sign * Math.Log(1 + (e.CiHighPercent / 100)) };
        var (badLo, badHi) = (ci.Min(), ci.Max());
        var t = thresholdPercent / 100;
        var worseLimit = metric.HigherIsBetter ? -Math.Log(1 - Math.Min(t, 0.999)) : Math.Log(1 + t);
        var betterLimit = metric.HigherIsBetter ? Math.Log(1 + t) : -Math.Log(1 - Math.Min(t, 0.999));
        // q is two-sided; a one-sided test at α in the estimate's direction is q ≤ 2α.
        var significant = q <= 2 * alpha;

        // Without history nothing says how far this machine drifts between runs (the A/A fixture drifts 16%),
        // so a cold-start regression must be established beyond the threshold, not only estimated beyond it.
        var beyond = e.HasHistory ? bad >= worseLimit : badLo >= worseLimit;
        if (significant && bad > 0 && beyond)
        {
            return Verdict.Regression;
        }

        if (significant && bad < 0 && -bad >= betterLimit)
        {
            return Verdict.Improvement;
        }

        return badHi < worseLimit && badLo > -betterLimit ? Verdict.Stable : Verdict.Inconclusive;
    }

    private static Dictionary<BenchmarkKey, List<(string RunId, BenchmarkRecord Record)>> ByKey(ComparisonSide side)
    {
        var map = new Dictionary<BenchmarkKey, List<(string, BenchmarkRecord)>>();
        foreach (var run in side.Runs)
        {
            foreach (var record in run.Records)
            {
                if (!map.TryGetValue(record.Key, out var list))
                {
                    map[record.Key] = list = [];
                }

                list.Add((run.RunId, record));
            }
        }

        return map;
    }

    private static List<RunValue> Values(List<(string RunId, BenchmarkRecord Record)> rows, Metric metric, bool useSamples) =>
        [.. rows.Select(r => metric.ValueOf(r.Record, r.RunId, useSamples)).Where(v => v is { Value: > 0 }).Select(v => v!)];
}
