using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>The spec's flow against a shared PostgreSQL history, and sync with a runner's local file.</summary>
public sealed class PostgresCommandsTests(PostgresServer pg)
{
    [Fact]
    public void Ingest_detect_alerts_baseline_and_compare_work_on_postgres_as_on_a_file()
    {
        using var dir = new TempDir();
        var db = pg.NewDatabase();
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "-d", db, "--commit", "aaaa1111").ExitCode);
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_slow.jsonl"), "-d", db, "--commit", "bbbb2222").ExitCode);
        Assert.Equal(0, CliProcess.Run(dir.Path, "baseline", "save", "v1", "--commit", "aaaa1111", "-d", db).ExitCode);

        var detect = CliProcess.Run(dir.Path, "detect", "--baseline", db, "--baseline-name", "v1", "--current", db, "--current-commit", "bbbb2222", "--output", "report.md");
        Assert.Equal(1, detect.ExitCode);
        Assert.Contains("Performance Regressions Detected", File.ReadAllText(dir.File("report.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("regression-detected.flag")));
        Assert.Equal(4, pg.Count(db, "SELECT COUNT(*) FROM regression_alerts WHERE status = 'open'"));
        Assert.Equal(0, CliProcess.Run(dir.Path, "alerts", "mark", "1", "--status", "acknowledged", "-d", db).ExitCode);
        Assert.Equal(1, pg.Count(db, "SELECT COUNT(*) FROM regression_alerts WHERE status = 'acknowledged'"));

        var compare = CliProcess.Run(dir.Path, "compare", "-i", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.sqlite"), "--baseline-db", db, "--baseline-name", "v1");
        Assert.True(compare.ExitCode == 0, compare.Stderr);
    }

    [Fact]
    public void Sync_pushes_a_local_file_and_copies_nothing_the_second_time()
    {
        using var dir = new TempDir();
        var db = pg.NewDatabase();
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), "-d", "local.sqlite").ExitCode);

        var push = CliProcess.Run(dir.Path, "sync", "--from", "local.sqlite", "--to", db);
        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.StartsWith("copied 10 runs (20 rows) from local.sqlite to postgres://", push.Stdout, StringComparison.Ordinal);
        var again = CliProcess.Run(dir.Path, "sync", "--from", "local.sqlite", "--to", db);
        Assert.Contains("copied 0 runs (0 rows)", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("10 runs were there already", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(20, pg.Count(db, "SELECT COUNT(*) FROM llama_bench"));

        var pull = CliProcess.Run(dir.Path, "sync", "--from", db, "--to", "pulled.sqlite");
        Assert.True(pull.ExitCode == 0, pull.Stderr);
        Assert.Equal(20, TestDb.Count(dir.File("pulled.sqlite"), "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(2, CliProcess.Run(dir.Path, "sync", "--from", "local.sqlite", "--to", "local.sqlite").ExitCode);
    }

    [Fact]
    public void BENCHGATE_DATABASE_names_the_shared_store_for_every_command()
    {
        using var dir = new TempDir();
        var db = pg.NewDatabase();
        var env = new Dictionary<string, string> { ["BENCHGATE_DATABASE"] = db, ["RESULTS_DB"] = "ignored.sqlite" };
        Assert.Equal(0, CliProcess.Run(dir.Path, null, env, "ingest", Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).ExitCode);
        var show = CliProcess.Run(dir.Path, null, env, "show", "--format", "json");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("\"rows\": 20", show.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("ignored.sqlite")));
    }

    [Theory]
    [InlineData("wrong-credentials")]
    [InlineData("unreachable")]
    [InlineData("no-permission")]
    public void Server_problems_are_one_line_without_password_or_stack_trace_and_store_nothing(string problem)
    {
        using var dir = new TempDir();
        var database = PostgresServer.DatabaseOf(pg.NewDatabase());
        var url = problem switch
        {
            "wrong-credentials" => pg.Url(database, PostgresServer.SecureUser, "Not-The-Pa55word"),
            "unreachable" => "postgres://ci:Not-The-Pa55word@127.0.0.1:1/perf",
            _ => pg.Url(database, PostgresServer.ReadOnlyUser, "Not-The-Pa55word"),
        };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), "-d", url);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Not-The-Pa55word", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        var first = result.Stderr.Split('\n')[0];
        Assert.StartsWith("error: postgres://", first, StringComparison.Ordinal);
        Assert.Contains(problem switch
        {
            "wrong-credentials" => "authentication failed",
            "unreachable" => "cannot connect to the PostgreSQL server",
            _ => "permission denied",
        }, first, StringComparison.Ordinal);
        if (problem != "unreachable")
        {
            Assert.Equal(0, pg.Count(pg.Url(database), "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"));
        }
    }
}
