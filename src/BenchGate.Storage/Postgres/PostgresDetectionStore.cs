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
        // Reading history and false positives never writes; Record migrates first.
        _store = store;
        _history = new HistoryWindow(n => _store.Guard(() => DetectionRecords.History(_store.Connection, n)));
    }

    public IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) => _history.Values(key, metric, excludeRuns);

    public HashSet<string> FalsePositives(string? baselineCommit, string? currentCommit) =>
        _store.Guard(() => DetectionRecords.FalsePositiveKeys(_store.Connection, baselineCommit, currentCommit));

    public List<long> Record(DetectionReport report, ComparisonSide current, string? baselineCommit, string? currentCommit, string? branch, string? machine) => _store.Guard(() =>
    {
        _store.EnsureMigrated();
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
            foreach (var h in DetectionRecords.HistoryRows(report, current, currentCommit))
            {
                w.StartRow();
                w.Write(now, NpgsqlDbType.Text);
                w.Write(h.KeyHash, NpgsqlDbType.Text);
                w.Write(h.Benchmark, NpgsqlDbType.Text);
                PostgresCopy.Text(w, h.Commit);
                PostgresCopy.Text(w, branch);
                PostgresCopy.Text(w, machine);
                w.Write(h.RunId, NpgsqlDbType.Text);
                w.Write(h.Metric, NpgsqlDbType.Text);
                w.Write(h.Value, NpgsqlDbType.Double);
                PostgresCopy.Real(w, h.StddevLog);
                PostgresCopy.Nullable(w, h.Repetitions);
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

        var ids = DetectionRecords.InsertAlerts(c, tx, report, baselineCommit, currentCommit, now);
        tx.Commit();
        return ids;
    });
}
