using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

public sealed class BaselineCommandTests
{
    private static long Count(string db, string sql) => TestDb.Count(db, sql);

    [Fact]
    public void A_saved_baseline_keeps_its_own_copy_that_later_ingests_do_not_change()
    {
        using var dir = new TempDir();
        var results = dir.File("results.sqlite");
        var jsonl = Fixtures.Path("llama-bench/commits/commits_lm_mmap.jsonl");
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", jsonl, "-d", results).ExitCode);

        var save = CliProcess.Run(dir.Path, "baseline", "save", "prev", "--commit", "876a432", "--from", results, "-d", "baseline.sqlite", "--branch", "master");
        Assert.True(save.ExitCode == 0, save.Stderr);
        Assert.Equal("saved baseline 'prev': commit 876a432, 3 runs, 24 rows; active\n", save.Stdout);
        Assert.Equal(24, Count(dir.File("baseline.sqlite"), "SELECT COUNT(*) FROM llama_bench"));

        // More runs of the same commit arrive in the results database: the baseline does not move.
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", jsonl, "-d", results, "--allow-duplicates").ExitCode);
        Assert.Contains("runs (3, 24 rows)", CliProcess.Run(dir.Path, "baseline", "show", "prev", "-d", "baseline.sqlite").Stdout, StringComparison.Ordinal);

        var detect = CliProcess.Run(dir.Path, "detect", "--baseline", "baseline.sqlite", "--baseline-name", "prev", "--current", results, "--current-commit", "3f545becc", "--no-record");
        Assert.True(detect.ExitCode == 0, detect.Stdout + detect.Stderr);
        Assert.Contains("8 benchmarks compared (baseline 'prev' → 3f545becc", detect.Stdout, StringComparison.Ordinal);

        var again = CliProcess.Run(dir.Path, "baseline", "save", "prev", "--from", results, "-d", "baseline.sqlite");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("a baseline named 'prev' exists already", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_spec_manual_insert_shows_and_one_baseline_is_active_per_branch_and_machine()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        Assert.Equal(0, CliProcess.Run(dir.Path, "migrate", "-d", db).ExitCode);
        TestDb.Execute(db, "INSERT INTO performance_baselines (baseline_name, commit_sha, created_at) VALUES ('v1.0', '876a4321163249c43ca4e986818fab5ab081f282', '2026-11-27T10:00:00+00:00')");

        var list = CliProcess.Run(dir.Path, "baseline", "list", "-d", db);
        Assert.Contains("│ v1.0 ", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("│ 3    │ 24   │", list.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, CliProcess.Run(dir.Path, "baseline", "save", "head", "--commit", "3f545becc", "-d", db).ExitCode);
        Assert.Equal(1, Count(db, "SELECT COUNT(*) FROM performance_baselines WHERE is_active = 1"));
        Assert.Equal(1, Count(db, "SELECT COUNT(*) FROM latest_baselines WHERE baseline_name = 'head'"));

        Assert.Equal(0, CliProcess.Run(dir.Path, "baseline", "activate", "v1.0", "-d", db).ExitCode);
        Assert.Equal(1, Count(db, "SELECT COUNT(*) FROM latest_baselines WHERE baseline_name = 'v1.0'"));
        Assert.Equal(0, Count(db, "SELECT is_active FROM performance_baselines WHERE baseline_name = 'head'"));
    }

    [Fact]
    public void Export_holds_only_the_baseline_and_delete_needs_yes()
    {
        using var dir = new TempDir();
        var db = dir.File("b.sqlite");
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", Fixtures.Path("llama-bench/commits/commits_lm_mmap.jsonl"), Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), "-d", db).ExitCode);
        Assert.Equal(0, CliProcess.Run(dir.Path, "baseline", "save", "prev", "--commit", "876a432", "-d", db).ExitCode);

        var export = CliProcess.Run(dir.Path, "baseline", "export", "prev", "-o", "prev.sqlite", "-d", db);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var exported = dir.File("prev.sqlite");
        Assert.Equal(24, Count(exported, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(24, Count(exported, "SELECT COUNT(*) FROM benchgate_rows WHERE build_commit = '876a43211' AND samples_ns IS NOT NULL"));
        Assert.Equal(3, Count(exported, "SELECT COUNT(*) FROM benchgate_runs"));
        Assert.Equal(1, Count(exported, "SELECT COUNT(*) FROM performance_baselines"));
        Assert.Equal(68, Count(db, "SELECT COUNT(*) FROM llama_bench"));

        var refused = CliProcess.Run(dir.Path, "baseline", "delete", "prev", "-d", db);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("needs --yes", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, CliProcess.Run(dir.Path, "baseline", "delete", "prev", "--yes", "-d", db).ExitCode);
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM performance_baselines"));
        Assert.Equal(68, Count(db, "SELECT COUNT(*) FROM llama_bench"));
        Assert.Equal(2, CliProcess.Run(dir.Path, "baseline", "show", "prev", "-d", db).ExitCode);
    }
}
