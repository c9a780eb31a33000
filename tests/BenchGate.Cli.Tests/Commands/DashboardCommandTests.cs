using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>benchgate dashboard as a process: the site from a stored history, and bad input as one line with exit code 2.</summary>
public sealed class DashboardCommandTests
{
    [Fact]
    public void Writes_the_site_of_a_stored_history_and_says_where()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/aa-cpu-small/aa.jsonl");
        var ingest = CliProcess.Run(dir.Path, "ingest", db, "-d", "h.sqlite", "--commit", "c1", "--branch", "master", "--machine", "runner-1");
        Assert.True(ingest.ExitCode == 0, ingest.Stderr);

        var r = CliProcess.Run(dir.Path, "dashboard", "-d", "h.sqlite", "-o", "site", "--commit-url", "https://github.com/ggml-org/llama.cpp/commit/{commit}");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Matches(@"^dashboard: \d+ benchmarks over 1 commits, 0 open alerts → site/index\.html \(\d+ pages, [\d.]+ MB\)\n$", r.Stdout);
        Assert.Contains("https://github.com/ggml-org/llama.cpp/commit/c1", File.ReadAllText(dir.File("site/index.html")) + File.ReadAllText(dir.File("site/alerts.html")) + string.Concat(Directory.GetFiles(dir.File("site/b")).Select(File.ReadAllText)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.sqlite", null, "missing.sqlite: no such database")]
    [InlineData("h.sqlite", "https://example.org/commit", "--commit-url: 'https://example.org/commit' has no {commit}")]
    public void Bad_input_is_one_line_exit_2_and_no_site(string database, string? commitUrl, string message)
    {
        using var dir = new TempDir();
        CliProcess.Run(dir.Path, "ingest", dir.Copy("llama-bench/aa-cpu-small/aa.jsonl"), "-d", "h.sqlite");
        var r = CliProcess.Run(dir.Path, ["dashboard", "-d", database, "-o", "site", .. commitUrl is null ? Array.Empty<string>() : ["--commit-url", commitUrl]]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.File("site")));
    }
}
