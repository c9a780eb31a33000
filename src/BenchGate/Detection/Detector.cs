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
        var comparisons = pending.Select((p, i) =>
        {
            var decision = VerdictRule.Decide(p.Metric, p.Threshold, p.Estimate, q[i], settings.Alpha);
            return new BenchmarkComparison(p.Key, titles[p.Key], p.Metric, p.Threshold, p.Estimate, q[i], decision.Verdict, Reason: decision.Reason);
        }).ToList();
        return new DetectionReport(now, settings.Thresholds.DefaultPercent, settings.Alpha, baseline.Label, current.Label, comparisons,
            [.. c.Keys.Where(k => !b.ContainsKey(k)).Select(k => (k, titles[k])).OrderBy(t => t.Item2, StringComparer.Ordinal)],
            [.. b.Keys.Where(k => !c.ContainsKey(k)).Select(k => (k, titles[k])).OrderBy(t => t.Item2, StringComparer.Ordinal)],
            shared.Count == 0 ? KeyDifferences.Explain(b.Keys, c.Keys) : null);
    }

    private List<(BenchmarkKey Key, Metric Metric, double Threshold, ChangeEstimate Estimate)> Analyse(
        BenchmarkKey key, List<KeyedRecord> baseline, List<KeyedRecord> current, IReadOnlySet<string> runIds)
    {
        var result = new List<(BenchmarkKey, Metric, double, ChangeEstimate)>(settings.MetricList.Count);
        var useSamples = baseline.TrueForAll(r => r.Record.SamplesNs is not null) && current.TrueForAll(r => r.Record.SamplesNs is not null);
        var pairs = Pairs(baseline, current);
        foreach (var metric in settings.MetricList)
        {
            var history = _history.Values(key, metric, runIds);
            ChangeEstimate? estimate = null;
            if (pairs is not null)
            {
                var values = PairedValues(pairs, metric, useSamples);
                if (values.Count >= MinimumPairs)
                {
                    estimate = ChangeAnalysis.AnalysePairs(values, history.Count, settings.Alpha, useSamples);
                }
            }

            if (estimate is null)
            {
                var bv = Values(baseline, metric, useSamples);
                var cv = Values(current, metric, useSamples);
                if (bv.Count > 0 && cv.Count > 0)
                {
                    estimate = ChangeAnalysis.Analyse(bv, cv, history, settings.Alpha, useSamples);
                }
            }

            if (estimate is not null)
            {
                result.Add((key, metric, settings.Thresholds.For(key, metric), estimate));
            }
        }

        return result;
    }

    /// <summary>Fewer pairs than this leave the noise unmeasured (df ≤ 1): the runs are compared as groups instead.</summary>
    public const int MinimumPairs = 3;

    /// <summary>
    /// The baseline and current runs of one benchmark that were made as pairs, when every current run has its
    /// baseline partner (other baseline runs, older ones, are then left out: the pairs are the experiment).
    /// </summary>
    private static List<(KeyedRecord Baseline, KeyedRecord Current)>? Pairs(List<KeyedRecord> baseline, List<KeyedRecord> current)
    {
        if (!current.TrueForAll(r => r.PairId is not null))
        {
            return null;
        }

        var partners = new Dictionary<string, KeyedRecord>(StringComparer.Ordinal);
        foreach (var r in baseline.Where(r => r.PairId is not null))
        {
            partners.TryAdd(r.PairId!, r);
        }

        var pairs = new List<(KeyedRecord, KeyedRecord)>(current.Count);
        foreach (var r in current)
        {
            if (!partners.Remove(r.PairId!, out var partner))
            {
                return null;
            }

            pairs.Add((partner, r));
        }

        return pairs.Count >= MinimumPairs ? pairs : null;
    }

    /// <summary>The verdict rule (see <see cref="VerdictRule"/>).</summary>
    public static Verdict Decide(Metric metric, double thresholdPercent, ChangeEstimate e, double q, double alpha) =>
        VerdictRule.Decide(metric, thresholdPercent, e, q, alpha).Verdict;

    private static Dictionary<BenchmarkKey, List<KeyedRecord>> ByKey(ComparisonSide side)
    {
        var map = new Dictionary<BenchmarkKey, List<KeyedRecord>>();
        foreach (var run in side.Runs)
        {
            foreach (var record in run.Records)
            {
                if (!map.TryGetValue(record.Key, out var list))
                {
                    map[record.Key] = list = [];
                }

                list.Add(new KeyedRecord(run.RunId, run.PairId, record));
            }
        }

        return map;
    }

    // Loops rather than LINQ: 30,000 metric comparisons of a large detect made ~60 MB of iterators and closures here.
    private static List<RunValue> Values(List<KeyedRecord> rows, Metric metric, bool useSamples)
    {
        var values = new List<RunValue>(rows.Count);
        foreach (var r in rows)
        {
            if (metric.ValueOf(r.Record, r.RunId, useSamples) is { Value: > 0 } v)
            {
                values.Add(v);
            }
        }

        return values;
    }

    private static List<(RunValue Baseline, RunValue Current)> PairedValues(List<(KeyedRecord Baseline, KeyedRecord Current)> pairs, Metric metric, bool useSamples)
    {
        var values = new List<(RunValue, RunValue)>(pairs.Count);
        foreach (var (b, c) in pairs)
        {
            if (metric.ValueOf(b.Record, b.RunId, useSamples) is { Value: > 0 } bv && metric.ValueOf(c.Record, c.RunId, useSamples) is { Value: > 0 } cv)
            {
                values.Add((bv, cv));
            }
        }

        return values;
    }

    // A struct, held inline in each benchmark's list: one object per row of both sides was ~5 MB of compare's peak.
    private readonly record struct KeyedRecord(string RunId, string? PairId, BenchmarkRecord Record);
}
