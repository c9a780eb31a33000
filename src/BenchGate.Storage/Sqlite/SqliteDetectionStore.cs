using System.Globalization;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// What detect reads from and writes to the current database: earlier runs of each benchmark
/// (performance_history, for their usual noise), alerts marked false positive, and — after a detect —
/// every current run into performance_history and every regression into regression_alerts.
/// </summary>
public sealed class SqliteDetectionStore : IDetectionStore
{
    private readonly SqliteResultStore _store;
    private readonly HistoryWindow _history;

    public SqliteDetectionStore(SqliteResultStore store)
    {
        _store = store;
        _store.Migrate();
        _history = new HistoryWindow(n => AdoStores.Query(_store.Connection, null, HistoryWindow.Query,
            r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetDouble(3)), ("n", (long)n)));
    }

    public IReadOnlyList<double> LogValues(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) => _history.LogValues(key, metric, excludeRuns);

    /// <summary>(key_hash, metric) pairs whose alert for these commits was marked false_positive.</summary>
    public HashSet<(string KeyHash, string Metric)> FalsePositives(string? baselineCommit, string? currentCommit)
    {
        using var cmd = _store.Connection.CreateCommand();
        cmd.CommandText = """
            SELECT key_hash, metric FROM regression_alerts
            WHERE status = 'false_positive' AND COALESCE(baseline_commit, '') = $b AND COALESCE(current_commit, '') = $c
            """;
        cmd.Parameters.AddWithValue("$b", baselineCommit ?? "");
        cmd.Parameters.AddWithValue("$c", currentCommit ?? "");
        using var r = cmd.ExecuteReader();
        var set = new HashSet<(string, string)>();
        while (r.Read())
        {
            set.Add((r.GetString(0), r.GetString(1)));
        }

        return set;
    }

    /// <summary>
    /// Stores the current runs' values (once per run, benchmark and metric, however often detect runs) and the
    /// new regressions, in one transaction. Returns the alert ids.
    /// </summary>
    public List<long> Record(DetectionReport report, ComparisonSide current, string? baselineCommit, string? currentCommit, string? branch, string? machine)
    {
        using var tx = _store.Connection.BeginTransaction();
        var now = report.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using (var insert = Command(tx, """
            INSERT OR IGNORE INTO performance_history (recorded_at, key_hash, benchmark, commit_sha, branch, machine, run_id, metric, value, stddev, repetitions)
            VALUES ($at, $k, $b, $c, $br, $m, $run, $metric, $v, $sd, $n)
            """))
        {
            var titles = report.Comparisons.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.First().Title);
            foreach (var run in current.Runs)
            {
                foreach (var record in run.Records.Where(r => titles.ContainsKey(r.Key)))
                {
                    foreach (var metric in report.Comparisons.Select(c => c.Metric).Distinct())
                    {
                        if (metric.ValueOf(record, run.RunId, record.SamplesNs is not null) is not { Value: > 0 } v)
                        {
                            continue;
                        }

                        Set(insert, ("$at", now), ("$k", record.Key.Hash), ("$b", titles[record.Key]), ("$c", currentCommit ?? run.Commit), ("$br", branch),
                            ("$m", machine), ("$run", run.RunId), ("$metric", metric.Name), ("$v", v.Value), ("$sd", v.WithinLogSd), ("$n", v.Repetitions));
                        insert.ExecuteNonQuery();
                    }
                }
            }
        }

        var ids = new List<long>();
        using (var alert = Command(tx, """
            INSERT INTO regression_alerts (created_at, key_hash, benchmark, metric, baseline_commit, current_commit, baseline_value, current_value,
              change_pct, ci_low_pct, ci_high_pct, threshold_pct, p_value, verdict, status)
            VALUES ($at, $k, $b, $metric, $bc, $cc, $bv, $cv, $chg, $lo, $hi, $t, $q, 'regression', 'open') RETURNING id
            """))
        {
            foreach (var c in report.Comparisons.Where(c => c.Verdict == Verdict.Regression && !c.KnownFalsePositive))
            {
                Set(alert, ("$at", now), ("$k", c.Key.Hash), ("$b", c.Title), ("$metric", c.Metric.Name), ("$bc", baselineCommit), ("$cc", currentCommit),
                    ("$bv", c.Estimate.BaselineValue), ("$cv", c.Estimate.CurrentValue), ("$chg", c.Estimate.ChangePercent), ("$lo", c.Estimate.CiLowPercent),
                    ("$hi", c.Estimate.CiHighPercent), ("$t", c.ThresholdPercent), ("$q", c.QValue));
                ids.Add((long)alert.ExecuteScalar()!);
            }
        }

        tx.Commit();
        return ids;
    }

    private SqliteCommand Command(SqliteTransaction tx, string sql)
    {
        var cmd = _store.Connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params (string Name, object? Value)[] values)
    {
        cmd.Parameters.Clear();
        foreach (var (name, value) in values)
        {
            cmd.Parameters.AddWithValue(name, AdoStores.Value(value) ?? DBNull.Value);
        }
    }
}
