using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>'ci push' then 'ci pr' as the workflow runs them, against stand-in llama-bench binaries and a local GitHub API.</summary>
public sealed class CiCommandTests
{
    private static Dictionary<string, string> Env(FakeGitHub github, string sha, string? token = "ghs_secret") => new()
    {
        ["GITHUB_API_URL"] = github.Url,
        ["GITHUB_TOKEN"] = token ?? "",
        ["GITHUB_REPOSITORY"] = "ggml-org/llama.cpp",
        ["GITHUB_REF"] = "refs/pull/123/merge",
        ["GITHUB_SHA"] = sha,
        ["RUNNER_NAME"] = "runner-1",
    };

    [Fact]
    public void Push_stores_the_baseline_and_each_pr_push_updates_one_comment()
    {
        using var dir = new TempDir();
        using var github = new FakeGitHub();
        var master = StandIn.Create(dir, "master-bench", "llama-bench/ab-cpu-long/ab_long_fast.jsonl");
        var head = StandIn.Create(dir, "head-bench", "llama-bench/ab-cpu-long/ab_long_slow.jsonl");
        // Both fixture builds report build_commit 3f545becc.
        var push = CliProcess.Run(dir.Path, null, new Dictionary<string, string>(Env(github, "3f545becc0000000000000000000000000000000")) { ["GITHUB_REF_NAME"] = "master" },
            "ci", "push", "--bench", master, "-d", "master-results.sqlite", "--baseline-db", "baseline.sqlite", "--dashboard", "site", "--", "-m", "model.gguf");
        Assert.True(push.ExitCode == 0, push.Stdout + push.Stderr);
        Assert.True(File.Exists(dir.File("site/index.html")), push.Stdout + push.Stderr);
        Assert.Equal(1, TestDb.Count(dir.File("baseline.sqlite"), "SELECT COUNT(*) FROM performance_baselines WHERE baseline_name = 'master-3f545becc' AND is_active = 1 AND branch = 'master'"));
        // The push also records the baseline branch's history and its analysis.
        Assert.StartsWith("# Performance Trend Report", File.ReadAllText(dir.File("trend-report.md")), StringComparison.Ordinal);
        Assert.True(TestDb.Count(dir.File("baseline.sqlite"), "SELECT COUNT(*) FROM benchgate_trend_state") > 0);

        var pr = CliProcess.Run(dir.Path, null, Env(github, "3f545becc1111111111111111111111111111111"),
            "ci", "pr", "--bench", head, "-d", "results.sqlite", "--baseline-db", "baseline.sqlite", "--dashboard-url", "https://example.github.io/perf/", "--", "-m", "model.gguf");
        Assert.Equal(1, pr.ExitCode);
        Assert.Contains("commented on ggml-org/llama.cpp#123", pr.Stdout, StringComparison.Ordinal);
        var comment = Assert.Single(github.Comments);
        Assert.Contains("<!-- benchgate:performance-report -->", comment.Body, StringComparison.Ordinal);
        Assert.Contains("## ⚠️ Performance Regressions Detected", comment.Body, StringComparison.Ordinal);
        Assert.Contains("### Recent history on the baseline branch", comment.Body, StringComparison.Ordinal);
        Assert.Matches(@"pp512 \(avg_ts, runner-1\): 3f545becc \d+ → \*\*this change \d+\*\*", comment.Body);
        // Each regressed benchmark links to its page on the dashboard ci push wrote.
        var pages = System.Text.RegularExpressions.Regex.Matches(comment.Body, @"\]\(https://example\.github\.io/perf/(b/[0-9a-f-]+\.html)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.True(File.Exists(dir.File("site/" + page)), page));
        Assert.True(File.Exists(dir.File("regression-report.json")));
        Assert.True(File.Exists(dir.File("regression-detected.flag")));
        Assert.Contains(github.Requests, r => r.Method == "POST" && r.Path == "/repos/ggml-org/llama.cpp/issues/123/comments" && r.Authorization == "Bearer ghs_secret");

        // The next push to the pull request updates the same comment.
        var again = CliProcess.Run(dir.Path, null, Env(github, "3f545becc2222222222222222222222222222222"),
            "ci", "pr", "--bench", head, "-d", "results2.sqlite", "--baseline-db", "baseline.sqlite", "--matrix", "--", "-m", "model.gguf");
        Assert.Equal(1, again.ExitCode);
        Assert.Single(github.Comments);
        // With --matrix the comment also arranges the benchmarks by model and backend.
        Assert.DoesNotContain("### Speedup across", comment.Body, StringComparison.Ordinal);
        Assert.Contains("### Speedup across models and backends", github.Comments[0].Body, StringComparison.Ordinal);
        Assert.Matches(@"\| pp512[^|]*\| 0\.\d\d \[0\.\d\d, 0\.\d\d\] Regression \|", github.Comments[0].Body);
        Assert.Contains(github.Requests, r => r.Method == "PATCH" && r.Path == $"/repos/ggml-org/llama.cpp/issues/comments/{comment.Id}");
        Assert.Contains("3f545becc2222222222222222222222222222222", github.Comments[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ghs_secret", again.Stdout + again.Stderr, StringComparison.Ordinal);

        // A pull request from a fork has no token: no comment, the report and the verdict stay.
        var fork = CliProcess.Run(dir.Path, null, Env(github, "3f545becc3333333333333333333333333333333", token: null),
            "ci", "pr", "--bench", head, "-d", "results3.sqlite", "--baseline-db", "baseline.sqlite", "--", "-m", "model.gguf");
        Assert.Equal(1, fork.ExitCode);
        Assert.Contains("no GITHUB_TOKEN", fork.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, github.Requests.Count(r => r.Method != "GET"));
    }

    [Fact]
    public void Without_a_baseline_the_base_is_built_and_run_interleaved_with_the_head()
    {
        using var dir = new TempDir();
        using var github = new FakeGitHub();
        StandIn.Create(dir, "base-source", "llama-bench/ab-cpu-long/ab_long_fast.jsonl");
        var head = StandIn.Create(dir, "head-bench", "llama-bench/ab-cpu-long/ab_long_slow.jsonl");
        var pr = CliProcess.Run(dir.Path, null, Env(github, "3f545becc1111111111111111111111111111111"),
            "ci", "pr", "--bench", head, "-d", "results.sqlite", "--baseline-db", "baseline.sqlite",
            "--build-cmd", "cp base-source base-bench && cp base-source.jsonl base-bench.jsonl && echo \"$BASE_SHA\" > built-for", "--base-bench", "base-bench", "--base-sha", "876a43211",
            "--", "-m", "model.gguf");
        Assert.Equal(1, pr.ExitCode);
        Assert.Equal("876a43211", File.ReadAllText(dir.File("built-for")).Trim());
        Assert.Contains("baseline: stored", pr.Stdout, StringComparison.Ordinal);
        Assert.True(TestDb.Count(dir.File("baseline.sqlite"), "SELECT COUNT(*) FROM llama_bench") > 0);
        Assert.Single(github.Comments);
    }
}
