using System.Globalization;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Storage.Shared;

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
        // Reading history and false positives never writes; Record migrates first.
        _store = store;
        _history = new HistoryWindow(n => DetectionRecords.History(_store.Connection, n));
    }

    public IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) => _history.Values(key, metric, excludeRuns);

    /// <summary>(key_hash, metric) pairs whose alert for these commits was marked false_positive.</summary>
    public HashSet<string> FalsePositives(string? baselineCommit, string? currentCommit) =>
        DetectionRecords.FalsePositiveKeys(_store.Connection, baselineCommit, currentCommit);

    /// <summary>
    /// Stores the current runs' values (once per run, benchmark and metric, however often detect runs) and the
    /// new regressions, in one transaction. Returns the alert ids.
    /// </summary>
    public List<long> Record(DetectionReport report, ComparisonSide current, string? baselineCommit, string? currentCommit, string? branch, string? machine)
    {
        _store.Migrate();
        using var tx = _store.Connection.BeginTransaction();
        var now = report.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        // In process, a prepared statement per row is as fast as SQLite gets; PostgreSQL COPYs the same rows.
        using (var insert = _store.Connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT OR IGNORE INTO performance_history (recorded_at, key_hash, benchmark, commit_sha, branch, machine, run_id, metric, value, stddev, repetitions)
                VALUES ($at, $k, $b, $c, $br, $m, $run, $metric, $v, $sd, $n)
                """;
            foreach (var h in DetectionRecords.HistoryRows(report, current, currentCommit))
            {
                insert.Parameters.Clear();
                foreach (var (name, value) in new (string, object?)[]
                {
                    ("$at", now), ("$k", h.KeyHash), ("$b", h.Benchmark), ("$c", h.Commit), ("$br", branch), ("$m", machine), ("$run", h.RunId),
                    ("$metric", h.Metric), ("$v", h.Value), ("$sd", h.StddevLog), ("$n", h.Repetitions),
                })
                {
                    insert.Parameters.AddWithValue(name, AdoStores.Value(value) ?? DBNull.Value);
                }

                insert.ExecuteNonQuery();
            }
        }

        var ids = DetectionRecords.InsertAlerts(_store.Connection, tx, report, baselineCommit, currentCommit, now);
        tx.Commit();
        return ids;
    }
}
