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
        var side = InputFiles.LoadSide(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), null);
        var (key, other) = (side.Runs[0].Records[0].Key, side.Runs[0].Records[1].Key);
        using var store = SqliteResultStore.Open(db);
        store.Migrate();
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
        var values = history.Values(key, Metric.TokensPerSecond, exclude).Select(v => Math.Exp(v.LogValue)).Select(v => Math.Round(v)).ToList();

        // Newest first, the two compared runs left out, and still 30 values (38 down to 9).
        Assert.Equal(Enumerable.Range(9, 30).Reverse().Select(i => (double)i), values);
        Assert.Equal([1003.0, 1002, 1001], history.Values(other, Metric.TokensPerSecond, exclude).Select(v => Math.Round(Math.Exp(v.LogValue))));
        Assert.Equal([7.0], history.Values(key, Metric.Latency, exclude).Select(v => Math.Round(Math.Exp(v.LogValue))));
        Assert.Empty(history.Values(other, Metric.ModelSize, exclude));
    }

    [Fact]
    public void Several_runs_of_one_commit_are_one_point_and_history_goes_back_30_commits()
    {
        using var dir = new TempDir();
        var side = InputFiles.LoadSide(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), null);
        var key = side.Runs[0].Records[0].Key;
        using var store = SqliteResultStore.Open(dir.File("history.sqlite"));
        store.Migrate();
        var history = new SqliteDetectionStore(store);
        // 25 commits with 2 runs each, then 10 with one run: the newest 30 commits are 10 single runs and 20 pairs.
        var n = 0;
        for (var commit = 1; commit <= 35; commit++)
        {
            for (var run = 0; run < (commit <= 25 ? 2 : 1); run++)
            {
                Insert(store, key.Hash, "avg_ts", $"run-{++n}", 100 + commit, $"c{commit}");
            }
        }

        var values = history.Values(key, Metric.TokensPerSecond, new HashSet<string>());
        Assert.Equal(50, values.Count);
        Assert.Equal(30, values.Select(v => v.Commit).Distinct().Count());
        Assert.Equal("c35", values[0].Commit);
        Assert.Equal("c6", values[^1].Commit);
        var noise = HistoryNoise.From(values)!;
        Assert.Equal(30, noise.Points);
        Assert.Equal(0, noise.WithinSd);
        Assert.InRange(noise.RunsPerPoint, 1.4, 1.6);
    }

    private static void Insert(SqliteResultStore store, string keyHash, string metric, string runId, double value, string? commit = null)
    {
        using var cmd = store.Connection.CreateCommand();
        cmd.CommandText = string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO performance_history (key_hash, benchmark, metric, run_id, value, commit_sha) VALUES ('{keyHash}', 'b', '{metric}', '{runId}', {value}, {(commit is null ? "NULL" : $"'{commit}'")})");
        cmd.ExecuteNonQuery();
    }
}
