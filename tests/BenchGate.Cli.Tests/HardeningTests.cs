using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests;

/// <summary>Issue #14: the defects found by trying benchgate as a new user, and then adversarially, each reproduced.</summary>
public sealed class HardeningTests
{
    [Theory]
    [InlineData("alerts", "list")]
    [InlineData("baseline", "list")]
    [InlineData("show", null)]
    [InlineData("trend", "--no-record")]
    public void A_command_that_only_reads_leaves_a_llama_bench_database_byte_identical(string command, string? arg)
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/aa-cpu-small/aa.sqlite");
        var before = Fixtures.Sha256(db);
        var r = CliProcess.Run(dir.Path, [command, .. arg is null ? Array.Empty<string>() : [arg], "-d", db]);
        Assert.True(r.ExitCode is 0 or 2, r.Stderr);
        Assert.Equal(before, Fixtures.Sha256(db));
        Assert.False(File.Exists(db + "-wal"));
    }

    [Fact]
    public void A_database_that_is_neither_benchgates_nor_llama_benchs_is_refused_unchanged()
    {
        using var dir = new TempDir();
        var foreign = dir.File("foreign.sqlite");
        TestDb.Execute(foreign, "CREATE TABLE customers (id INTEGER, name TEXT); INSERT INTO customers VALUES (1, 'a')");
        var before = Fixtures.Sha256(foreign);
        foreach (var args in new[]
        {
            new[] { "detect", "--baseline", Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), "--current", foreign },
            ["ingest", Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), "-d", foreign],
            ["migrate", "-d", foreign],
            ["alerts", "list", "-d", foreign],
        })
        {
            var r = CliProcess.Run(dir.Path, args);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("foreign.sqlite: not a BenchGate or llama-bench database (it holds customers)", r.Stderr, StringComparison.Ordinal);
            Assert.Equal(before, Fixtures.Sha256(foreign));
        }
    }

    [Fact]
    public void A_failed_ingest_into_a_new_file_leaves_no_file_behind()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.jsonl"), "{\"build_commit\": \"abc\", \"avg_ts\": ");
        var r = CliProcess.Run(dir.Path, "ingest", "bad.jsonl", "-d", "new.sqlite");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(["bad.jsonl"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Baseline_save_finds_a_commit_by_the_name_it_was_ingested_under_as_detect_does()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "-d", "r.sqlite", "--commit", "a1").ExitCode);
        var save = CliProcess.Run(dir.Path, "baseline", "save", "b1", "--commit", "a1", "--from", "r.sqlite", "-d", "base.sqlite");
        Assert.True(save.ExitCode == 0, save.Stderr);
        Assert.Equal(10, TestDb.Count(dir.File("base.sqlite"), "SELECT COUNT(*) FROM llama_bench"));
        // Whole records, not only what detect reads: compare-llama-bench.py and ci's choice of the newest build read them.
        Assert.Equal(0, TestDb.Count(dir.File("base.sqlite"), "SELECT COUNT(*) FROM llama_bench WHERE test_time IS NULL OR model_filename IS NULL OR n_prompt IS NULL OR cpu_info IS NULL"));
        Assert.Equal(2, TestDb.Count(dir.File("base.sqlite"), "SELECT COUNT(*) FROM benchmark_keys WHERE test IN ('pp512', 'tg128')"));
    }

    [Fact]
    public void Detect_with_no_record_reads_the_history_and_writes_nothing()
    {
        using var dir = new TempDir();
        var aa = Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl");
        foreach (var commit in new[] { "h1", "h2", "h3" })
        {
            Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", aa, "-d", "r.sqlite", "--commit", commit, "--allow-duplicates").ExitCode);
        }

        Assert.True(CliProcess.Run(dir.Path, "detect", "--baseline", "r.sqlite", "--current", "r.sqlite", "--baseline-commit", "h1", "--current-commit", "h2").ExitCode is 0 or 3);
        var before = Fixtures.Sha256(dir.File("r.sqlite"));
        var r = CliProcess.Run(dir.Path, "detect", "--baseline", "r.sqlite", "--current", "r.sqlite", "--baseline-commit", "h1", "--current-commit", "h3", "--no-record", "--json-output", "r.json");
        Assert.True(r.ExitCode is 0 or 3, r.Stderr);
        Assert.Equal(before, Fixtures.Sha256(dir.File("r.sqlite")));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        Assert.All(json.RootElement.GetProperty("comparisons").EnumerateArray().Where(c => c.GetProperty("metric").GetString() != "model_size"),
            c => Assert.Equal(10, c.GetProperty("history_runs").GetInt32()));
    }

    [Theory]
    [InlineData(new[] { "detct" }, "unknown command 'detct'; did you mean 'detect'?")]
    [InlineData(new[] { "detect", "--treshold", "5" }, "unknown option '--treshold'; did you mean '--threshold'?")]
    [InlineData(new[] { "detect", "--threshold", "five" }, "--threshold: 'five' is not a number")]
    [InlineData(new[] { "run", "--max-runs", "many" }, "--max-runs: 'many' is not a whole number")]
    [InlineData(new string[0], "give a command: ingest, migrate, show, detect, trend")]
    public void Usage_errors_are_in_words_with_a_suggestion(string[] args, string message)
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"error: {message}", r.Stderr.Split('\n')[0][..Math.Min(r.Stderr.Split('\n')[0].Length, message.Length + 7)]);
        Assert.DoesNotContain("System.", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_file_that_is_a_directory_is_a_usage_error()
    {
        // Found by the option fuzzer: "@<path>" names a response file, and reading a directory threw.
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "detect", "@" + dir.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Stdin_given_twice_is_a_usage_error_before_anything_is_opened()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "ingest", "-", "-", "-d", dir.File("r.sqlite"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: '-' (stdin) can be given only once", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("note: nothing was stored", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.sqlite")));
    }

    [Fact]
    public void Help_names_the_program_benchgate()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "trend", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("  benchgate trend [options]", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("BenchGate.Cli", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Memcheck_on_the_log_of_a_failed_run_is_not_a_pass()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "memcheck", "--benchmark-output", Fixtures.Path("llama-bench/logs/missing_model.stderr.log"), "--no-record");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("llama-bench failed (llama_bench: error: failed to load model 'missing.gguf')", r.Stderr, StringComparison.Ordinal);
        File.WriteAllText(dir.File("quiet.log"), "main: done\n");
        var quiet = CliProcess.Run(dir.Path, "memcheck", "--benchmark-output", "quiet.log", "--no-record");
        Assert.Equal(2, quiet.ExitCode);
        Assert.Contains("run with -v?", quiet.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_config_nested_to_overflow_a_parser_and_a_database_missing_llama_bench_columns_are_one_line_exit_2()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("deep.yaml"), "metrics: " + string.Concat(Enumerable.Repeat("{a: ", 50_000)) + "1" + new string('}', 50_000) + "\n");
        var yaml = CliProcess.Run(dir.Path, "detect", "--baseline", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), "--current", Fixtures.Path("llama-bench/ab-cpu-long/ab_long_slow.jsonl"), "--config", "deep.yaml");
        Assert.Equal(2, yaml.ExitCode);
        Assert.Contains("deep.yaml: invalid config at line 1: nested deeper than any config needs", yaml.Stderr, StringComparison.Ordinal);

        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        TestDb.Execute(db, "ALTER TABLE llama_bench DROP COLUMN build_commit");
        var compare = CliProcess.Run(dir.Path, "compare", "-i", db);
        Assert.Equal(2, compare.ExitCode);
        Assert.Contains("table llama_bench has no build_commit column", compare.Stderr, StringComparison.Ordinal);
        Assert.Single(compare.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(":memory:")]
    [InlineData("file::memory:?cache=shared")]
    [InlineData("file:results.sqlite?mode=memory")]
    public void A_database_that_would_keep_nothing_is_refused(string database)
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), "-d", database);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("would keep nothing", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("stored", r.Stdout, StringComparison.Ordinal);
    }
}
