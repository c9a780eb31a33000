using BenchGate.Ingest;
using BenchGate.Memory;
using BenchGate.Storage;
using BenchGate.Storage.Shared;
using BenchGate.Tests.Shared;
using BenchGate.Trend;
using BenchGate.Workflows;
using BenchGate.Workflows.Dashboard;
using BenchGate.Workflows.Ingest;
using BenchGate.Workflows.Trend;

namespace BenchGate.Site.Tests;

/// <summary>
/// A results database made of real llama-bench history (tests/fixtures/history), and the dashboard written from it:
/// master_history's 24 runs as commits c01…c24 on runner-1 (the real step is at c13: pp64 −11% on both models), six runs
/// of the same build on runner-2, trend's alerts (one acknowledged), the peak memory of each runner-1 run with one leak,
/// and the baseline "release" at c10.
/// </summary>
public sealed class HistorySite : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = new();

    public HistorySite()
    {
        Database = _dir.File("history.sqlite");
        Ingest("history/master_history.jsonl", 24, "runner-1");
        Ingest("history/interleaved_ab_native.jsonl", 6, "runner-2");
        TrendWorkflow.Run(Host(), new TrendHistoryRequest(Database, "master", null, new TrendFilter(), ["avg_ts"], null, 5, null, _dir.File("trend.md"), null, Record: true, Full: false));
        using (var store = ResultStores.Open(Database))
        {
            var alerts = new AlertLog(store);
            alerts.Mark(alerts.List("open")[0].Id, "acknowledged", "machine was busy", Now);
            var memory = new MemoryLog(store);
            var runs = new TrendStore(store).Runs("master", "runner-1");
            foreach (var (run, i) in runs.Select((r, i) => (r, i)))
            {
                memory.Record([new MemoryFinding("llama-bench", null, "rss", MemoryFindingKind.Ok, null, null, 180 + (i >= 12 ? 20 : 0) + (i % 3), null, null, null, null, "peak of the run")],
                    run.Run.Commit, run.Run.RunId, Now);
            }

            memory.Record([new MemoryFinding("llama-bench", "tg16", "valgrind", MemoryFindingKind.Leak, null, null, null, 2.5, 2_621_440, 12, 2, "definitely lost: 2,621,440 bytes in 12 blocks")], "c24", null, Now);
            new BaselineStore(store).Save("release", "c10", null, "master", "runner-1", null);
        }

        Site = _dir.File("site");
        Outcome = DashboardWorkflow.Run(Host(), new DashboardRequest(Database, Site), Now);
    }

    public string Database { get; }

    public string Site { get; }

    public DashboardOutcome Outcome { get; }

    public string Path(string relative) => System.IO.Path.Combine(Site, relative);

    /// <summary>The page of a benchmark, found by its title and machine.</summary>
    public string PageOf(string titleContains, string machine = "runner-1") =>
        Path($"b/{Outcome.Site.Benchmarks.Single(b => b.Title.Contains(titleContains, StringComparison.Ordinal) && b.Machine == machine).PageId}.html");

    public static WorkflowHost Host() => new(TextWriter.Null, TextWriter.Null, _ => null);

    private void Ingest(string fixture, int runs, string machine)
    {
        var lines = File.ReadAllLines(Fixtures.Path(fixture));
        for (var i = 0; i < runs; i++)
        {
            var run = _dir.File($"{machine}-run{i + 1}.jsonl");
            File.WriteAllLines(run, lines.Skip(i * 4).Take(4));
            IngestWorkflow.Run(Host(), new IngestRequest([run], Database, new IngestOptions(Commit: $"c{i + 1:00}", Branch: "master", Machine: machine)));
        }
    }

    public void Dispose() => _dir.Dispose();
}
