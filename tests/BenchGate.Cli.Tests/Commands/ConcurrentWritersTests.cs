using System.Diagnostics;
using System.Text.Json;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>
/// Several CI runners writing one history at once, into one SQLite file and into one PostgreSQL database (issue #7). What is
/// proven is "nothing lost, nothing doubled, nothing half seen", not speed: the server connection gets a minute, as a busy
/// runner might need (SQLite writers wait up to a minute by default), so a loaded machine slows the test but does not fail it.
/// </summary>
public sealed class ConcurrentWritersTests(PostgresServer pg)
{
    private string Database(TempDir dir, string backend) => backend == "sqlite" ? dir.File("shared.sqlite") : pg.NewDatabase() + "?connect_timeout=60";

    public static TheoryData<string> Backends => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Eight_parallel_ingests_lose_no_row_duplicate_none_and_a_reader_never_sees_half_a_run(string backend)
    {
        using var dir = new TempDir();
        var db = Database(dir, backend);
        var input = Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl");
        var rowsPerFile = File.ReadAllLines(input).Length;
        if (backend == "sqlite")
        {
            Assert.Equal(0, CliProcess.Run(dir.Path, "migrate", "-d", db).ExitCode);
        }

        var seen = await WhileReading(dir, db, () => Parallel(8, i => CliProcess.StartInfo(dir.Path, null, "ingest", input, "-d", db, "--allow-duplicates", "--machine", $"runner-{i}")));

        Assert.Equal(8 * rowsPerFile, Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(8 * rowsPerFile, Count(db, "SELECT COUNT(DISTINCT result_id) FROM benchgate_results"));
        Assert.Equal(80, Count(db, "SELECT COUNT(DISTINCT run_id) FROM benchgate_runs"));
        Assert.Equal(8, Count(db, "SELECT COUNT(DISTINCT machine) FROM benchgate_runs"));
        Assert.Equal(2, Count(db, "SELECT COUNT(*) FROM benchmark_keys"));
        // aa.jsonl holds 10 runs of 2 benchmarks: any state a reader saw has exactly 2 rows per run.
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(s.Runs * 2, s.Rows));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Eight_parallel_llama_bench_runs_store_every_result_once(string backend)
    {
        using var dir = new TempDir();
        var db = Database(dir, backend);
        var bench = StandIn.Create(dir, "llama-bench", "llama-bench/formats/small_p64_n16_r3.jsonl");
        var rows = File.ReadAllLines(bench + ".jsonl").Length;
        var env = new Dictionary<string, string> { ["STANDIN_SLEEP"] = "0.05", ["BENCHGATE_DATABASE"] = db };

        var seen = await WhileReading(dir, db, () => Parallel(8, i => CliProcess.StartInfo(dir.Path, env, "run", "--bench", bench, "--machine", $"runner-{i}", "--log", $"bench-{i}.log",
            "--", "-m", "model.gguf", "-p", "64", "-n", "16", "-r", "3")));

        Assert.Equal(8 * rows, Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(8, Count(db, "SELECT COUNT(*) FROM benchgate_runs"));
        Assert.Equal(8 * rows, Count(db, "SELECT SUM(row_count) FROM benchgate_runs"));
        Assert.Equal(8, Count(db, "SELECT COUNT(*) FROM memory_leak_logs WHERE detector = 'rss'"));
        Assert.All(seen, s => Assert.Equal(s.Runs * rows, s.Rows));
    }

    private long Count(string db, string sql) => db.StartsWith("postgres://", StringComparison.Ordinal) ? pg.Count(db.Split('?')[0], sql) : TestDb.Count(db, sql);

    private static async Task Parallel(int n, Func<int, ProcessStartInfo> start)
    {
        var writers = Enumerable.Range(0, n).Select(i =>
        {
            var p = Process.Start(start(i))!;
            p.StandardInput.Close();
            return p;
        }).ToList();
        foreach (var w in writers)
        {
            var stderr = await w.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await w.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(w.ExitCode == 0, stderr);
        }
    }

    /// <summary>Polls `benchgate show` while the writers run; returns each (runs, rows) state it saw.</summary>
    private static async Task<List<(long Runs, long Rows)>> WhileReading(TempDir dir, string db, Func<Task> writers)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var seen = new List<(long Runs, long Rows)>();
        var reader = Task.Run(
            () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var show = CliProcess.Run(dir.Path, "show", "-d", db, "--format", "json");
                if (show.ExitCode == 0)
                {
                    var commits = JsonDocument.Parse(show.Stdout).RootElement.GetProperty("commits").EnumerateArray().ToList();
                    seen.Add((commits.Sum(c => c.GetProperty("runs").GetInt64()), commits.Sum(c => c.GetProperty("rows").GetInt64())));
                }
            }
        },
            TestContext.Current.CancellationToken);
        await writers();
        await stop.CancelAsync();
        await reader;
        return seen;
    }
}
