using System.Diagnostics;
using System.Text.Json;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>Several CI runners writing one SQLite history at once (issue #7's SQLite half).</summary>
public sealed class ConcurrentWritersTests
{
    [Fact]
    public async Task Eight_parallel_ingests_lose_no_row_duplicate_none_and_a_reader_never_sees_half_a_run()
    {
        using var dir = new TempDir();
        var db = dir.File("shared.sqlite");
        var input = Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl");
        var rowsPerFile = File.ReadAllLines(input).Length;
        Assert.Equal(0, CliProcess.Run(dir.Path, "migrate", "-d", db).ExitCode);

        // A reader polls the database while the writers run; each state it sees must hold whole runs only.
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
                    var summary = JsonDocument.Parse(show.Stdout).RootElement;
                    var commits = summary.GetProperty("commits").EnumerateArray().ToList();
                    seen.Add((commits.Sum(c => c.GetProperty("runs").GetInt64()), commits.Sum(c => c.GetProperty("rows").GetInt64())));
                }
            }
        },
            TestContext.Current.CancellationToken);

        var writers = Enumerable.Range(0, 8).Select(i =>
        {
            var p = Process.Start(CliProcess.StartInfo(dir.Path, null, "ingest", input, "-d", db, "--allow-duplicates", "--machine", $"runner-{i}"))!;
            p.StandardInput.Close();
            return p;
        }).ToList();
        foreach (var w in writers)
        {
            var stderr = await w.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await w.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(w.ExitCode == 0, stderr);
        }

        await stop.CancelAsync();
        await reader;

        Assert.Equal(8 * rowsPerFile, TestDb.Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(8 * rowsPerFile, TestDb.Count(db, "SELECT COUNT(DISTINCT result_id) FROM benchgate_results"));
        Assert.Equal(8, TestDb.Count(db, "SELECT COUNT(DISTINCT machine) FROM benchgate_runs"));
        // aa.jsonl holds 10 runs of 2 benchmarks: any state a reader saw has exactly 2 rows per run.
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(s.Runs * 2, s.Rows));
    }
}
