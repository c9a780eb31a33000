using System.Data.Common;
using BenchGate.Detection;

namespace BenchGate.Storage.Shared;

/// <summary>One current run's value of one benchmark and metric, as performance_history stores it.</summary>
internal sealed record HistoryRow(string KeyHash, string Benchmark, string? Commit, string RunId, string Metric, double Value, double? StddevLog, int? Repetitions);

/// <summary>What both detection stores write and read alike: the history rows of a detect, its alerts, and the alerts marked false positive.</summary>
internal static class DetectionRecords
{
    /// <summary>Every current run's value of every compared benchmark and metric (positive values only).</summary>
    public static IEnumerable<HistoryRow> HistoryRows(DetectionReport report, ComparisonSide current, string? currentCommit)
    {
        var titles = report.Comparisons.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.First().Title);
        var metrics = report.Comparisons.Select(c => c.Metric).Distinct().ToList();
        foreach (var run in current.Runs)
        {
            foreach (var record in run.Records.Where(r => titles.ContainsKey(r.Key)))
            {
                foreach (var metric in metrics)
                {
                    if (metric.ValueOf(record, run.RunId, record.SamplesNs is not null) is { Value: > 0 } v)
                    {
                        yield return new HistoryRow(record.Key.Hash, titles[record.Key], currentCommit ?? run.Commit, run.RunId, metric.Name, v.Value, v.WithinLogSd, v.Repetitions);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One alert per regressed benchmark (not per metric: avg_ts and avg_ns of one slowdown are one thing to look at),
    /// for its first regressed metric in the order avg_ts, avg_ns, model_size, the others named in its notes; none for a
    /// benchmark and commits that already have one (running detect again opens nothing new). Returns the new alerts' ids.
    /// </summary>
    public static List<long> InsertAlerts(DbConnection c, DbTransaction tx, DetectionReport report, string? baselineCommit, string? currentCommit, string now)
    {
        var ids = new List<long>();
        foreach (var group in report.Comparisons.Where(x => x.IsFailingRegression).GroupBy(x => x.Key))
        {
            var ordered = group.OrderBy(x => Array.IndexOf(MetricOrder, x.Metric.Name) is var i && i < 0 ? int.MaxValue : i).ToList();
            var x = ordered[0];
            // Commits known: the same comparison again is the same alert. Unknown: nothing says it is the same comparison.
            var exists = baselineCommit is null || currentCommit is null ? null : AdoStores.Scalar(c, tx, """
                SELECT id FROM regression_alerts WHERE key_hash = @k AND baseline_commit = @bc AND current_commit = @cc LIMIT 1
                """, ("k", x.Key.Hash), ("bc", baselineCommit), ("cc", currentCommit));
            if (exists is not null)
            {
                continue;
            }

            var notes = ordered.Count > 1
                ? "also regressed: " + string.Join(", ", ordered.Skip(1).Select(o => $"{o.Metric.Name} {o.Estimate.ChangePercent.ToString("+0.0;-0.0", System.Globalization.CultureInfo.InvariantCulture)}%"))
                : null;
            var id = AdoStores.Scalar(c, tx, """
                INSERT INTO regression_alerts (created_at, key_hash, benchmark, metric, baseline_commit, current_commit, baseline_value, current_value,
                  change_pct, ci_low_pct, ci_high_pct, threshold_pct, p_value, verdict, status, notes)
                VALUES (@at, @k, @b, @metric, @bc, @cc, @bv, @cv, @chg, @lo, @hi, @t, @q, 'regression', 'open', @notes) RETURNING id
                """, ("at", now), ("k", x.Key.Hash), ("b", x.Title), ("metric", x.Metric.Name), ("bc", baselineCommit), ("cc", currentCommit),
                ("bv", AdoStores.Value(x.Estimate.BaselineValue)), ("cv", AdoStores.Value(x.Estimate.CurrentValue)), ("chg", AdoStores.Value(x.Estimate.ChangePercent)),
                ("lo", AdoStores.Value(x.Estimate.CiLowPercent)), ("hi", AdoStores.Value(x.Estimate.CiHighPercent)), ("t", AdoStores.Value(x.ThresholdPercent)),
                ("q", AdoStores.Value(x.QValue)), ("notes", notes));
            ids.Add(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture));
        }

        return ids;
    }

    private static readonly string[] MetricOrder = ["avg_ts", "avg_ns", "model_size"];

    /// <summary>Benchmarks (key hashes) whose alert for these commits was marked false_positive: every metric of them is known.</summary>
    public static HashSet<string> FalsePositiveKeys(DbConnection c, string? baselineCommit, string? currentCommit) =>
        baselineCommit is null || currentCommit is null || !RunArchive.TableExists(c, "regression_alerts") ? [] : AdoStores.Query(c, null, """
            SELECT key_hash FROM regression_alerts
            WHERE status = 'false_positive' AND baseline_commit = @b AND current_commit = @c
            """, r => r.GetString(0), ("b", baselineCommit), ("c", currentCommit)).ToHashSet();

    /// <summary>The newest performance_history values, for <see cref="HistoryWindow"/> (none before the first detect that recorded).</summary>
    public static List<HistoryRowValue> History(DbConnection c, int depth) => !RunArchive.TableExists(c, "performance_history") ? [] :
        AdoStores.Query(c, null, HistoryWindow.Query, r => new HistoryRowValue(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetDouble(4)), ("n", (long)depth));
}
