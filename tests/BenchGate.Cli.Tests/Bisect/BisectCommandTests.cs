using System.Text.Json;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Bisect;

/// <summary>bisect and bisect-step on a real git repository whose benchmark, a C program built per commit, slows down at a known commit.</summary>
public sealed class BisectCommandTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    public void Finds_the_culprit_past_a_noisy_and_a_broken_commit_and_a_second_bisection_costs_nothing(int culprit)
    {
        using var dir = new TempDir();
        var repo = SlowingRepo.Create(dir, culprit, noisy: 6, broken: 3);

        var first = Bisect(dir, repo, "first.json");

        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        using var report = JsonDocument.Parse(File.ReadAllText(dir.File("first.json")));
        var root = report.RootElement;
        Assert.Equal(repo.Shas[culprit], root.GetProperty("first_bad_commit").GetString());
        Assert.Equal("found", root.GetProperty("outcome").GetString());
        Assert.True(root.GetProperty("culprit_change").GetProperty("percent").GetDouble() < -25, first.Stdout);
        var probes = root.GetProperty("probes").EnumerateArray().ToList();
        Assert.Contains(probes, p => p.GetProperty("commit").GetString() == repo.Shas[6]);
        if (culprit < 6)
        {
            // The bisection had to look left of the middle, where the broken commit is: it was skipped.
            var broken = Assert.Single(probes, p => p.GetProperty("commit").GetString() == repo.Shas[3]);
            Assert.Equal("skipped", broken.GetProperty("verdict").GetString());
            Assert.Contains("--build-cmd exited with", broken.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains($"bisect: first bad commit {repo.Shas[culprit][..9]} (make work twice as slow)", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("# Bisection Report", File.ReadAllText(dir.File("first.md")), StringComparison.Ordinal);
        var db = dir.File("bisect.sqlite");
        Assert.Equal(root.GetProperty("runs").GetInt32(), TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE branch = 'bisect'"));
        Assert.Equal(probes.Count + 1, TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_bisect_verdicts"));

        var second = Bisect(dir, repo, "second.json");

        Assert.Equal(0, second.ExitCode);
        using var again = JsonDocument.Parse(File.ReadAllText(dir.File("second.json")));
        Assert.Equal(repo.Shas[culprit], again.RootElement.GetProperty("first_bad_commit").GetString());
        Assert.Equal((0, 0), (again.RootElement.GetProperty("runs").GetInt32(), again.RootElement.GetProperty("builds").GetInt32()));
        Assert.Contains($"{probes.Count + 1} verdicts from the cache", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Git_bisect_run_with_bisect_step_names_the_culprit()
    {
        using var dir = new TempDir();
        var repo = SlowingRepo.Create(dir, culprit: 8, noisy: -1, broken: 5);
        TestGit.Run(repo.Path, "bisect", "start", repo.Shas[^1], repo.Shas[0]);
        string[] options = ["--good", repo.Shas[0], "--bad", repo.Shas[^1], "--build-cmd", SlowingRepo.BuildCommand, "-d", dir.File("step.sqlite")];
        string[] step = [.. Program(), "bisect-step", .. options, "--", .. SlowingRepo.BenchArgs];

        File.WriteAllText(Path.Combine(repo.Path, "model.gguf"), "GGUF");

        var output = TestGit.Run(repo.Path, ["bisect", "run", .. step]);

        // git bisect probes 6 first (good), so the broken commit 5 is never asked; a probe of it would exit 125 (skip).
        Assert.Contains($"{repo.Shas[8]} is the first bad commit", output, StringComparison.Ordinal);
        TestGit.Run(repo.Path, "bisect", "reset");
        int Step(int commit) => CliProcess.Run(dir.Path, ["bisect-step", .. options, "--repo", repo.Path, "--commit", repo.Shas[commit], "--", .. SlowingRepo.BenchArgs]).ExitCode;
        Assert.Equal((125, 0, 1, 0, 1), (Step(5), Step(4), Step(9), Step(0), Step(12)));
    }

    [Fact]
    public void Bad_ranges_are_input_errors_and_bisect_step_stops_git_bisect_on_them()
    {
        using var dir = new TempDir();
        var repo = SlowingRepo.Create(dir, culprit: 4, noisy: -1, broken: -1);

        var reversed = CliProcess.Run(dir.Path, "bisect", "--repo", repo.Path, "--good", repo.Shas[5], "--bad", repo.Shas[1], "--build-cmd", "true", "-d", "b.sqlite");
        var unknown = CliProcess.Run(dir.Path, "bisect", "--repo", repo.Path, "--good", "no-such-tag", "--bad", repo.Shas[1], "--build-cmd", "true", "-d", "b.sqlite");
        var notRepo = CliProcess.Run(dir.Path, "bisect", "--repo", dir.Path, "--good", "a", "--bad", "b", "--build-cmd", "true", "-d", "b.sqlite");
        var step = CliProcess.Run(dir.Path, "bisect-step", "--repo", repo.Path, "--good", repo.Shas[5], "--bad", repo.Shas[1], "--build-cmd", "true", "-d", "b.sqlite");

        Assert.Equal((2, $"error: --good {repo.Shas[5][..9]} is not an ancestor of --bad {repo.Shas[1][..9]}: give the older commit as --good\n"), (reversed.ExitCode, reversed.Stderr));
        Assert.Equal((2, $"error: --good no-such-tag: no such commit in {repo.Path}\n"), (unknown.ExitCode, unknown.Stderr));
        Assert.Equal((2, $"error: --repo {dir.Path}: not a git repository\n"), (notRepo.ExitCode, notRepo.Stderr));
        Assert.Equal(128, step.ExitCode);
        // A usage error too: git bisect run would read 2 as "bad" and blame a wrong commit.
        Assert.Equal(128, CliProcess.Run(dir.Path, "bisect-step", "--repo", repo.Path, "--good", repo.Shas[0], "--bad", repo.Shas[1], "-d", "b.sqlite").ExitCode);
        Assert.Equal(128, CliProcess.Run(dir.Path, "bisect-step", "--repo", repo.Path, "--build-cmd", "true", "--max-runs", "2").ExitCode);
        Assert.Equal(2, CliProcess.Run(dir.Path, "bisect", "--repo", repo.Path, "--good", repo.Shas[0], "--bad", repo.Shas[1], "--build-cmd", "true", "--bench", "/usr/bin/true", "-d", "b.sqlite").ExitCode);
        Assert.False(File.Exists(dir.File("b.sqlite")));
    }

    [Fact]
    public void An_interrupted_bisection_leaves_whole_runs_and_the_next_one_finishes_from_them()
    {
        using var dir = new TempDir();
        var repo = SlowingRepo.Create(dir, culprit: 7, noisy: -1, broken: -1);
        var db = dir.File("bisect.sqlite");
        using (var p = System.Diagnostics.Process.Start(CliProcess.StartInfo(dir.Path, null, BisectArgs(repo, "interrupted.json")))!)
        {
            _ = p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            // Ctrl-C once the first probe is decided (the ends' and its runs are stored), in the middle of the bisection.
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("step 1:", StringComparison.Ordinal))
            {
            }

            Assert.False(p.HasExited, "the bisection ended before it could be interrupted");
            System.Diagnostics.Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            _ = p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            p.WaitForExit();
            Assert.NotEqual(0, p.ExitCode);
        }

        Assert.True(StoredRuns(db) >= 9, "the ends' three rounds and the first probe's were stored before the interrupt");
        Assert.Equal("ok", TestDb.Scalar(db, "PRAGMA integrity_check"));
        // Every stored run is whole: its rows are all there.
        Assert.Equal(0, TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_runs ru WHERE ru.row_count <> (SELECT COUNT(*) FROM benchgate_results r WHERE r.run_seq = ru.run_seq)"));
        var before = StoredRuns(db);

        var again = Bisect(dir, repo, "again.json");

        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        using var report = JsonDocument.Parse(File.ReadAllText(dir.File("again.json")));
        Assert.Equal(repo.Shas[7], report.RootElement.GetProperty("first_bad_commit").GetString());
        Assert.Equal(before + report.RootElement.GetProperty("runs").GetInt32(), StoredRuns(db));
    }

    [Fact]
    public void A_stored_alert_gives_the_range_and_the_benchmark()
    {
        using var dir = new TempDir();
        var repo = SlowingRepo.Create(dir, culprit: 3, noisy: -1, broken: -1);
        // The alert's benchmark, as run would store it: the program built at the bad end and run once.
        var build = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", SlowingRepo.BuildCommand]) { WorkingDirectory = repo.Path })!;
        build.WaitForExit();
        Assert.Equal(0, CliProcess.Run(dir.Path, ["run", "--bench", Path.Combine(repo.Path, "build/bin/llama-bench"), "-d", "alerts.sqlite", "--commit", repo.Shas[^1], "--", .. SlowingRepo.BenchArgs]).ExitCode);
        var db = dir.File("alerts.sqlite");
        TestDb.Execute(db, $"""
            INSERT INTO regression_alerts (key_hash, benchmark, metric, baseline_commit, current_commit)
            SELECT key_hash, 'tiny-llama-small-f32 | backend:CPU | p:512 | g:0 | pp512', 'avg_ts', '{repo.Shas[0]}', '{repo.Shas[^1]}' FROM benchmark_keys
            """);

        var run = CliProcess.Run(dir.Path, ["bisect", "--alert", "1", "--repo", repo.Path, "--build-cmd", SlowingRepo.BuildCommand, "-d", "alerts.sqlite",
            "--json-output", "alert.json", "--", .. SlowingRepo.BenchArgs]);
        var missing = CliProcess.Run(dir.Path, "bisect", "--alert", "9", "--repo", repo.Path, "--build-cmd", "true", "-d", "alerts.sqlite");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        using var report = JsonDocument.Parse(File.ReadAllText(dir.File("alert.json")));
        Assert.Equal(repo.Shas[3], report.RootElement.GetProperty("first_bad_commit").GetString());
        Assert.Equal((2, "error: --alert 9: no such alert in alerts.sqlite\n"), (missing.ExitCode, missing.Stderr));
    }

    private static long StoredRuns(string db)
    {
        try
        {
            return File.Exists(db) ? TestDb.Count(db, "SELECT COUNT(*) FROM benchgate_runs WHERE branch = 'bisect'") : 0;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Not migrated yet, or busy while the bisection writes.
            return 0;
        }
    }

    private static string[] BisectArgs(SlowingRepo repo, string json) => [
        "bisect", "--repo", repo.Path, "--good", repo.Shas[0], "--bad", repo.Shas[^1], "--build-cmd", SlowingRepo.BuildCommand,
        "-d", "bisect.sqlite", "--json-output", json, "--output", Path.ChangeExtension(json, ".md"), "--", .. SlowingRepo.BenchArgs];

    private static CliProcess.Result Bisect(TempDir dir, SlowingRepo repo, string json) => CliProcess.Run(dir.Path, BisectArgs(repo, json));

    /// <summary>benchgate as git bisect run starts it: the native build under test, or dotnet with the CLI's dll.</summary>
    private static string[] Program() => CliProcess.Native is { } exe ? [exe] : ["dotnet", CliProcess.Dll];
}
