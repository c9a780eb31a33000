using System.Diagnostics;
using System.Text.Json;
using BenchGate.Tests.Shared;
using Microsoft.Data.Sqlite;

namespace BenchGate.Cli.Tests.Commands;

public sealed class IngestCommandTests
{
    [Fact]
    public void Help_lists_the_commands_and_the_exit_codes()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var word in new[] { "ingest", "migrate", "show", "Exit codes", "2 usage or input error" })
        {
            Assert.Contains(word, r.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ingest_then_show_as_json_reports_what_was_stored()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), Fixtures.Path("llama-bench/old-2024/old.sqlite"), "-d", "r.sqlite", "--machine", "ci-1");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("20 rows in 10 runs", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("stored 32 rows in 13 runs into r.sqlite", r.Stdout, StringComparison.Ordinal);

        var show = CliProcess.Run(dir.Path, "show", "-d", "r.sqlite", "--format", "json");
        Assert.Equal(0, show.ExitCode);
        using var json = JsonDocument.Parse(show.Stdout);
        Assert.Equal(32, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(13, json.RootElement.GetProperty("runs").GetArrayLength());
        Assert.Equal(["3f545becc", "ad675e1c6"], json.RootElement.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("commit").GetString()));
        Assert.All(json.RootElement.GetProperty("runs").EnumerateArray(), run => Assert.Equal("ci-1", run.GetProperty("machine").GetString()));
    }

    [Fact]
    public void Results_db_is_the_default_database_as_in_the_spec()
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string> { ["RESULTS_DB"] = "from-env.sqlite" };
        var r = CliProcess.Run(dir.Path, null, env, "ingest", Fixtures.Path("llama-bench/formats/small_multi.jsonl"));
        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(dir.File("from-env.sqlite")));
        var plain = CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/formats/small_multi.jsonl"));
        Assert.Equal(0, plain.ExitCode);
        Assert.True(File.Exists(dir.File("performance-results.sqlite")));
    }

    [Theory]
    [InlineData("llama-bench/aa-cpu-small/aa.jsonl", "(jsonl): 20 rows in 10 runs")]
    [InlineData("llama-bench/old-2024/old.sqlite", "(sqlite): 12 rows in 3 runs")]
    [InlineData("llama-bench/formats/small_multi.md", "(md): 16 rows in 1 run")]
    public void Stdin_takes_what_llama_bench_pipes_in(string fixture, string expected)
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, File.ReadAllBytes(Fixtures.Path(fixture)), null, "ingest", "-", "-d", "r.sqlite");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("ingested - " + expected, r.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "missing.jsonl", "", "missing.jsonl: no such file" },
        { "lone.json", "[\n", "lone.json: line 2: the JSON holds only its opening '['" },
        { "cut.jsonl", "{\"build_commit\": \"3f5", "cut.jsonl: line 1" },
        { "notes.txt", "hello\n", "notes.txt: unknown format" },
        { "nan.csv", "n_prompt,n_gen,avg_ts\n\"64\",\"0\",\"nan\"\n", "nan.csv: line 2, field avg_ts: is NaN" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_gives_one_clear_line_exit_2_and_no_stack_trace(string name, string content, string message)
    {
        using var dir = new TempDir();
        if (content.Length > 0)
        {
            File.WriteAllText(dir.File(name), content);
        }

        var r = CliProcess.Run(dir.Path, "ingest", name, "-d", "r.sqlite");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: " + message, r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("r.sqlite was not created", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.sqlite")));
    }

    [Fact]
    public void A_database_that_is_not_one_is_named_and_left_alone()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("r.sqlite"), "not a database, some notes\n" + new string('x', 2000));
        var before = Fixtures.Sha256(dir.File("r.sqlite"));
        var r = CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/formats/small_multi.jsonl"), "-d", "r.sqlite");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: r.sqlite: not a SQLite database", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Fixtures.Sha256(dir.File("r.sqlite")));
    }

    [Fact]
    public void Unknown_options_are_usage_errors()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "ingest", "x.jsonl", "--frobnicate");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--frobnicate", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_killed_ingest_leaves_the_database_intact()
    {
        using var dir = new TempDir();
        var db = dir.File("r.sqlite");
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/commits/commits_lm_mmap.jsonl"), "-d", db).ExitCode);
        var before = Fixtures.Sha256(db);

        // llama-bench piping into benchgate, killed mid-way: 100,000 rows written, stdin left open, so the
        // ingest is certainly inside its transaction when it dies.
        using var p = Process.Start(CliProcess.StartInfo(dir.Path, null, "ingest", "-", "-d", db))!;
        var lines = File.ReadAllLines(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"));
        var stdin = p.StandardInput;
        for (var i = 0; i < 5_000; i++)
        {
            foreach (var line in lines)
            {
                stdin.WriteLine(line);
            }
        }

        stdin.Flush();
        // The database is in WAL mode since the first ingest: the log file appears when the write transaction begins.
        // Stdin stays open, so once the log exists the ingest is inside its transaction until it is killed. (The wait has a
        // ceiling only so that a broken ingest fails the test instead of hanging it; a busy machine is far below it.)
        var journal = db + "-wal";
        Assert.True(SpinWait.SpinUntil(() => File.Exists(journal) || p.HasExited, TimeSpan.FromMinutes(5)), "the ingest never started writing");
        Assert.True(File.Exists(journal), "the ingest exited before writing");
        Assert.False(p.HasExited);
        p.Kill(entireProcessTree: true);
        p.WaitForExit();

        // The next connection ignores the log of the unfinished transaction; afterwards the file is what it was.
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM llama_bench";
            Assert.Equal(48L, (long)cmd.ExecuteScalar()!);
        }

        Assert.Equal(before, Fixtures.Sha256(db));

        // The next ingest works as usual and leaves no log behind.
        var next = CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/formats/small_multi.jsonl"), "-d", db);
        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.False(File.Exists(journal));
    }
}
