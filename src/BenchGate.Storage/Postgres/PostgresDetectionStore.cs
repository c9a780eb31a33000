using System.Globalization;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Storage.Shared;
using Npgsql;
using NpgsqlTypes;

namespace BenchGate.Storage.Postgres;

/// <summary>detect's history and alerts in PostgreSQL, as <see cref="Sqlite.SqliteDetectionStore"/> keeps them in SQLite.</summary>
public sealed class PostgresDetectionStore : IDetectionStore
{
    private readonly PostgresResultStore _store;
    private readonly HistoryWindow _history;

    public PostgresDetectionStore(PostgresResultStore store)
    {
        _store = store;
        _store.EnsureMigrated();
        _history = new HistoryWindow(n => _store.Guard(() => AdoStores.Query(_store.Connection, null, HistoryWindow.Query,
            r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetDouble(3)), ("n", (long)n))));
    }

    public IReadOnlyList<double> LogValues(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) => _history.LogValues(key, metric, excludeRuns);

    public HashSet<(string KeyHash, string Metric)> FalsePositives(string? baselineCommit, string? currentCommit) => _store.Guard(() =>
        AdoStores.Query(_store.Connection, null, """
            SELECT key_hash, metric FROM regression_alerts
            WHERE status = 'false_positive' AND COALESCE(baseline_commit, '') = @b AND COALESCE(current_commit, '') = @c
            """, r => (r.GetString(0), r.GetString(1)), ("b", baselineCommit ?? ""), ("c", currentCommit ?? "")).ToHashSet());

    public List<long> Record(DetectionReport report, ComparisonSide current, string? baselineCommit, string? currentCommit, string? branch, string? machine) => _store.Guard(() =>
    {
        var c = _store.Connection;
        using var tx = c.BeginTransaction();
        var now = report.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using (var temp = new NpgsqlCommand("CREATE TEMP TABLE IF NOT EXISTS incoming_history (LIKE performance_history INCLUDING DEFAULTS INCLUDING IDENTITY) ON COMMIT DELETE ROWS", c, tx))
        {
            temp.ExecuteNonQuery();
        }

        // Thousands of history rows: COPY them in, then one INSERT keeps the first of each run, benchmark and metric.
        using (var w = c.BeginBinaryImport("COPY incoming_history (recorded_at, key_hash, benchmark, commit_sha, branch, machine, run_id, metric, value, stddev, repetitions) FROM STDIN (FORMAT BINARY)"))
        {
            var titles = report.Comparisons.GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Title);
            var metrics = report.Comparisons.Select(x => x.Metric).Distinct().ToList();
            foreach (var run in current.Runs)
            {
                foreach (var record in run.Records.Where(r => titles.ContainsKey(r.Key)))
                {
                    foreach (var metric in metrics)
                    {
                        if (metric.ValueOf(record, run.RunId, record.SamplesNs is not null) is not { Value: > 0 } v)
                        {
                            continue;
                        }

                        w.StartRow();
                        w.Write(now, NpgsqlDbType.Text);
                        w.Write(record.Key.Hash, NpgsqlDbType.Text);
                        w.Write(titles[record.Key], NpgsqlDbType.Text);
                        Text(w, currentCommit ?? run.Commit);
                        Text(w, branch);
                        Text(w, machine);
                        w.Write(run.RunId, NpgsqlDbType.Text);
                        w.Write(metric.Name, NpgsqlDbType.Text);
                        w.Write(v.Value, NpgsqlDbType.Double);
                        Real(w, v.WithinLogSd);
                        if (v.Repetitions is { } n)
                        {
                            w.Write((long)n, NpgsqlDbType.Bigint);
                        }
                        else
                        {
                            w.WriteNull();
                        }
                    }
                }
            }

            w.Complete();
        }

        using (var move = new NpgsqlCommand("""
            INSERT INTO performance_history (recorded_at, key_hash, benchmark, commit_sha, branch, machine, run_id, metric, value, stddev, repetitions)
            SELECT recorded_at, key_hash, benchmark, commit_sha, branch, machine, run_id, metric, value, stddev, repetitions FROM incoming_history ORDER BY id
            ON CONFLICT (run_id, key_hash, metric) DO NOTHING
            """, c, tx))
        {
            move.ExecuteNonQuery();
        }

        var ids = new List<long>();
        foreach (var x in report.Comparisons.Where(x => x.Verdict == Verdict.Regression && !x.KnownFalsePositive))
        {
            using var alert = new NpgsqlCommand("""
                INSERT INTO regression_alerts (created_at, key_hash, benchmark, metric, baseline_commit, current_commit, baseline_value, current_value,
                  change_pct, ci_low_pct, ci_high_pct, threshold_pct, p_value, verdict, status)
                VALUES (@at, @k, @b, @metric, @bc, @cc, @bv, @cv, @chg, @lo, @hi, @t, @q, 'regression', 'open') RETURNING id
                """, c, tx);
            foreach (var (name, value) in new (string, object?)[]
            {
                ("at", now), ("k", x.Key.Hash), ("b", x.Title), ("metric", x.Metric.Name), ("bc", baselineCommit), ("cc", currentCommit),
                ("bv", x.Estimate.BaselineValue), ("cv", x.Estimate.CurrentValue), ("chg", x.Estimate.ChangePercent), ("lo", x.Estimate.CiLowPercent),
                ("hi", x.Estimate.CiHighPercent), ("t", x.ThresholdPercent), ("q", x.QValue),
            })
            {
                alert.Parameters.AddWithValue(name, AdoStores.Value(value) ?? DBNull.Value);
            }

            ids.Add((long)alert.ExecuteScalar()!);
        }

        tx.Commit();
        return ids;
    });

    private static void Text(NpgsqlBinaryImporter w, string? s)
    {
        if (s is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(s, NpgsqlDbType.Text);
        }
    }

    private static void Real(NpgsqlBinaryImporter w, double? d)
    {
        if (d is { } x && double.IsFinite(x))
        {
            w.Write(x, NpgsqlDbType.Double);
        }
        else
        {
            w.WriteNull();
        }
    }
}
