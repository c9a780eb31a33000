using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests.Postgres;

/// <summary>A runner without the network works on a local file and pushes later; the shared history pulls back.</summary>
public sealed class SyncTests(PostgresServer pg) : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void Sqlite_to_postgres_and_back_copies_every_run_record_and_sample_once()
    {
        var local = _dir.File("local.sqlite");
        var shared = pg.NewDatabase();
        Backends.Ingest(local, new IngestOptions(Commit: "fast", Machine: "offline-runner"), Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"));
        Backends.Ingest(local, new IngestOptions(Commit: "slow"), Fixtures.Path("llama-bench/ab-cpu-long/ab_long_slow.jsonl"));
        using (var store = ResultStores.Open(local))
        {
            new BaselineStore(store).Save("v1", "fast", null, "master", null, null);
            var detection = StoredSides.DetectionStore(store);
            var current = StoredSides.Load(local, "slow");
            detection.Record(new Detector(new DetectionSettings(Thresholds.Uniform(5)), detection).Compare(StoredSides.Load(local, "fast"), current, DateTimeOffset.UtcNow),
                current, "fast", "slow", null, null);
        }

        var first = Sync(local, shared);
        Assert.Equal((10, 20L, 0), (first.RunsCopied, first.RowsCopied, first.RunsPresent));
        Assert.Equal(1, first.BaselinesCopied);
        Assert.True(first.HistoryCopied > 0 && first.AlertsCopied > 0, $"history {first.HistoryCopied}, alerts {first.AlertsCopied}");

        var again = Sync(local, shared);
        Assert.Equal(new SyncReport(0, 0, 10, 0, 0, 0, 0), again);

        // Another runner adds to the shared history; pulling into a fresh file gets both, with the same run ids.
        Backends.Ingest(shared, new IngestOptions(Commit: "other"), Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));
        var pulled = _dir.File("pulled.sqlite");
        var pull = Sync(shared, pulled);
        Assert.Equal(20, pull.RunsCopied);
        Assert.Equal(StoredSides.Load(local, null).Runs.Select(r => r.RunId), StoredSides.Load(pulled, null).Runs.Take(10).Select(r => r.RunId));
        AssertSameRecords(Full(local, "fast"), Full(pulled, "fast"));
        AssertSameRecords(Full(shared, "slow"), Full(pulled, "slow"));
        Assert.Equal(pg.Count(shared, "SELECT COUNT(*) FROM performance_history"), TestDb.Count(pulled, "SELECT COUNT(*) FROM performance_history"));
        Assert.Equal(5, SavedBaselines.Find(pulled, "v1").RunIds.Count);

        // Pushing the pulled file back copies nothing: every run is there already.
        Assert.Equal(0, Sync(pulled, shared).RunsCopied);
        Assert.Equal(20, pg.Count(shared, "SELECT COUNT(*) FROM benchgate_runs"));
    }

    [Fact]
    public void The_same_file_ingested_on_both_sides_is_not_copied_twice()
    {
        var local = _dir.File("local.sqlite");
        var shared = pg.NewDatabase();
        var file = Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl");
        Backends.Ingest(local, null, file);
        Backends.Ingest(shared, null, file);

        var report = Sync(local, shared);
        Assert.Equal(0, report.RunsCopied);
        Assert.Equal(10, report.RunsPresent);
        Assert.Equal(10, pg.Count(shared, "SELECT COUNT(*) FROM benchgate_runs"));
    }

    private static SyncReport Sync(string from, string to)
    {
        using var a = ResultStores.Open(from, create: false);
        using var b = ResultStores.Open(to);
        return RunCopier.Copy(a, b);
    }

    /// <summary>Every column of every row of a commit's runs, read the same way from either backend.</summary>
    private static List<RunRecords> Full(string location, string commit)
    {
        using var store = ResultStores.Open(location, create: false);
        return Shared.RunArchive.Read(Shared.AdoStores.Of(store).Connection, Shared.RunArchive.CommitFilter, ("c", commit));
    }

    private static void AssertSameRecords(List<RunRecords> expected, List<RunRecords> actual)
    {
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(r => (r.RunId, r.Commit)), actual.Select(r => (r.RunId, r.Commit)));
        var (e, a) = (expected.SelectMany(r => r.Records).ToList(), actual.SelectMany(r => r.Records).ToList());
        Assert.Equal(e.Count, a.Count);
        for (var i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].Key, a[i].Key);
            Assert.Equal(e[i].SamplesNs, a[i].SamplesNs);
            for (var f = 0; f < e[i].Values.Length; f++)
            {
                Assert.True(e[i].Values[f] == a[i].Values[f], $"row {i}, {Model.LlamaBenchSchema.Fields[f].Name}: {e[i].Values[f]} ({e[i].Values[f].Kind}) vs {a[i].Values[f]} ({a[i].Values[f].Kind})");
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
