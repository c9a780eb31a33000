using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>compare choosing builds through a real git repository made in a temp directory.</summary>
public sealed class CompareGitTests
{
    private static string Git(string dir, params string[] args) => TestGit.Run(dir, args);

    /// <summary>
    /// A repository with master A → B and a branch feature B → C, and results whose build_commit values are the
    /// short hashes of A, B and C (fixture runs of 876a43211 as A, of 3f545becc as B and as C).
    /// </summary>
    private static (string A, string B, string C) Repository(TempDir dir, bool withFeatureData)
    {
        Git(dir.Path, "init", "-q", "-b", "master");
        var hashes = new List<string>();
        foreach (var (branch, name) in new[] { ("master", "a"), ("master", "b"), ("feature", "c") })
        {
            if (name == "c")
            {
                Git(dir.Path, "checkout", "-q", "-b", branch);
            }

            File.WriteAllText(Path.Combine(dir.Path, name + ".txt"), name);
            Git(dir.Path, "add", name + ".txt");
            Git(dir.Path, "commit", "-q", "-m", name);
            hashes.Add(Git(dir.Path, "rev-parse", "--short=9", "HEAD"));
        }

        Git(dir.Path, "checkout", "-q", "master");
        var lines = File.ReadAllLines(Fixtures.Path("llama-bench/commits/commits_lm_mmap.jsonl"));
        var data = lines.Select(l => l.Replace("876a43211", hashes[0], StringComparison.Ordinal).Replace("3f545becc", hashes[1], StringComparison.Ordinal)).ToList();
        if (withFeatureData)
        {
            data.AddRange(lines.Where(l => l.Contains("3f545becc", StringComparison.Ordinal)).Select(l => l.Replace("3f545becc", hashes[2], StringComparison.Ordinal)));
        }

        File.WriteAllLines(Path.Combine(dir.Path, "results.jsonl"), data);
        return (hashes[0], hashes[1], hashes[2]);
    }

    [Fact]
    public void Without_flags_the_baseline_is_master_newest_benchmarked_commit_and_the_branch_build_is_compared()
    {
        using var dir = new TempDir();
        var (_, _, c) = Repository(dir, withFeatureData: true);
        var run = CliProcess.Run(dir.Path, "compare", "-i", "results.jsonl", "-s", "model_filename");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var header = CompareCommandTests.Rows(run.Stdout)[0];
        Assert.Equal(["File", "Test", "t/s master", $"t/s {c}", "Speedup"], header[..5]);
        // C's runs are B's: every speedup is 1.00.
        Assert.All(CompareCommandTests.Rows(run.Stdout).Skip(1), r => Assert.Equal("1.00", r[4]));
    }

    [Fact]
    public void Branch_names_resolve_and_name_their_column_and_master_only_data_compares_its_two_newest_commits()
    {
        using var dir = new TempDir();
        var (a, _, _) = Repository(dir, withFeatureData: false);
        var named = CliProcess.Run(dir.Path, "compare", "-i", "results.jsonl", "-b", a, "-c", "master", "-s", "model_filename");
        Assert.True(named.ExitCode == 0, named.Stderr);
        // The same numbers compare-llama-bench.py printed for 876a43211 → master (31_git_names.txt).
        var large = CompareCommandTests.Cells(named.Stdout).Single(r => r["File"] == "tiny-llama-large-f32.gguf" && r["Test"] == "pp64");
        Assert.Equal(("7205.18", "7133.24"), (large[$"t/s {a}"], large["t/s master"]));

        // The script stops here: "did not find data for any non-master commits". Compare master's two newest instead.
        var defaults = CliProcess.Run(dir.Path, "compare", "-i", "results.jsonl");
        Assert.True(defaults.ExitCode == 0, defaults.Stderr);
        Assert.Contains($"t/s {a}", defaults.Stdout, StringComparison.Ordinal);
        Assert.Contains("t/s master", defaults.Stdout, StringComparison.Ordinal);
        Assert.Contains("every build with data is on master", defaults.Stderr, StringComparison.Ordinal);

        var unknown = CliProcess.Run(dir.Path, "compare", "-i", "results.jsonl", "-b", "no-such-branch", "-c", "master");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("cannot find data for baseline=no-such-branch", unknown.Stderr, StringComparison.Ordinal);
    }
}
