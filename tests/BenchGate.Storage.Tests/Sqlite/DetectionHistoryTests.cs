using System.Globalization;
using BenchGate.Detection;
using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests.Sqlite;

public sealed class DetectionHistoryTests
{
    [Fact]
    public void History_gives_the_newest_30_values_of_a_benchmark_and_metric_without_the_compared_runs()
    {
        using var dir = new TempDir();
        var db = dir.File("history.sqlite");
        var side = SideLoader.Load(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), new SqliteDatabaseFileReader(), null);
        var (key, other) = (side.Runs[0].Records[0].Key, side.Runs[0].Records[1].Key);
        using var store = SqliteResultStore.Open(db);
        var history = new SqliteDetectionStore(store);
        // 40 runs of key (values 1..40, run-1..run-40), 3 of another key, and one other metric.
        for (var i = 1; i <= 40; i++)
        {
            Insert(store, key.Hash, "avg_ts", $"run-{i}", i);
        }

        for (var i = 1; i <= 3; i++)
        {
            Insert(store, other.Hash, "avg_ts", $"other-{i}", 1000 + i);
        }

        Insert(store, key.Hash, "avg_ns", "run-1", 7);

        var exclude = new HashSet<string> { "run-40", "run-39" };
        var values = history.LogValues(key, Metric.TokensPerSecond, exclude).Select(Math.Exp).Select(v => Math.Round(v)).ToList();

        // Newest first, the two compared runs left out, and still 30 values (38 down to 9).
        Assert.Equal(Enumerable.Range(9, 30).Reverse().Select(i => (double)i), values);
        Assert.Equal([1003.0, 1002, 1001], history.LogValues(other, Metric.TokensPerSecond, exclude).Select(v => Math.Round(Math.Exp(v))));
        Assert.Equal([7.0], history.LogValues(key, Metric.Latency, exclude).Select(v => Math.Round(Math.Exp(v))));
        Assert.Empty(history.LogValues(other, Metric.ModelSize, exclude));
    }

    private static void Insert(SqliteResultStore store, string keyHash, string metric, string runId, double value)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO performance_history (key_hash, benchmark, metric, run_id, value) VALUES ('{keyHash}', 'b', '{metric}', '{runId}', {value})");
        cmd.ExecuteNonQuery();
    }
}
