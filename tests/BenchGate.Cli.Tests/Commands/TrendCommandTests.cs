using System.Text.Json;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>benchgate trend on real llama-bench histories stored the way ci push stores them: one run per commit.</summary>
public sealed class TrendCommandTests
{
    /// <summary>Ingests each run (4 lines) of a history fixture as its own commit, as ci push would; returns the commits.</summary>
    private static List<string> Store(TempDir dir, string fixture, string db, Func<int, string>? commit = null, IEnumerable<int>? order = null, string machine = "runner-1")
    {
        var lines = File.ReadAllLines(Fixtures.Path(fixture));
        var runs = lines.Length / 4;
        var commits = Enumerable.Range(1, runs).Select(i => commit?.Invoke(i) ?? $"c{i}").ToList();
        foreach (var i in order ?? Enumerable.Range(1, runs))
        {
            var file = dir.File($"run{i}.jsonl");
            File.WriteAllLines(file, lines.Skip((i - 1) * 4).Take(4));
            var r = CliProcess.Run(dir.Path, "ingest", file, "-d", db, "--commit", commits[i - 1], "--branch", "master", "--machine", machine);
            Assert.True(r.ExitCode == 0, r.Stderr);
        }

        return commits;
    }

    [Fact]
    public void The_real_step_raises_one_alert_per_benchmark_once_and_false_positive_silences_it()
    {
        using var dir = new TempDir();
        Store(dir, "history/master_history.jsonl", "h.sqlite");
        var first = CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite", "--json-output", "t.json");
        Assert.True(first.ExitCode == 1, first.Stdout + first.Stderr);
        Assert.Contains("new regression: tiny-llama-small-f32 | backend:CPU | p:64 | g:0 | pp64 on runner-1 avg_ts -11.6% between c12 and c13", first.Stdout, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(File.ReadAllText(dir.File("t.json"))))
        {
            var pp64 = json.RootElement.GetProperty("series").EnumerateArray().Where(s => s.GetProperty("test").GetString() == "pp64").ToList();
            Assert.Equal(2, pp64.Count);
            Assert.All(pp64, s =>
            {
                Assert.Equal(24, s.GetProperty("points").GetArrayLength());
                var cp = Assert.Single(s.GetProperty("change_points").EnumerateArray());
                Assert.Equal(("c13", "c12", 12, "regression"), (cp.GetProperty("commit").GetString(), cp.GetProperty("previous_commit").GetString(), cp.GetProperty("index").GetInt32(), cp.GetProperty("verdict").GetString()));
                Assert.True(cp.GetProperty("ci_low_percent").GetDouble() < cp.GetProperty("change_percent").GetDouble());
            });
        }

        var schema = Json.Schema.JsonSchema.FromText(File.ReadAllText(Fixtures.RepoFile("docs/trend-report.schema.json")));
        var valid = schema.Evaluate(JsonDocument.Parse(File.ReadAllText(dir.File("t.json"))).RootElement, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.True(valid.IsValid, string.Join("; ", valid.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
        var alerts = TestDb.Count(dir.File("h.sqlite"), "SELECT COUNT(*) FROM regression_alerts");
        Assert.True(alerts >= 2);
        Assert.Contains("## ⚠️ New Regressions", File.ReadAllText(dir.File("trend.md")), StringComparison.Ordinal);
        Assert.Contains("c12 55022 ┃ c13 48091", File.ReadAllText(dir.File("trend.md")), StringComparison.Ordinal);

        var again = CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite");
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Equal(alerts, TestDb.Count(dir.File("h.sqlite"), "SELECT COUNT(*) FROM regression_alerts"));
        Assert.Equal(0, CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite", "--full").ExitCode);
        Assert.Equal(alerts, TestDb.Count(dir.File("h.sqlite"), "SELECT COUNT(*) FROM regression_alerts"));

        Assert.Equal(0, CliProcess.Run(dir.Path, "alerts", "mark", "2", "--status", "false_positive", "-d", "h.sqlite").ExitCode);
        var marked = CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite", "--json-output", "t2.json");
        Assert.Equal(0, marked.ExitCode);
        Assert.Contains("\"alert_status\": \"false_positive\"", File.ReadAllText(dir.File("t2.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_that_slowed_is_marked_and_does_not_fail_the_gate()
    {
        using var dir = new TempDir();
        Store(dir, "history/aa_history.jsonl", "aa.sqlite");
        var r = CliProcess.Run(dir.Path, "trend", "-d", "aa.sqlite", "--json-output", "t.json");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("4 put down to the machine", r.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("t.json")));
        Assert.All(json.RootElement.GetProperty("series").EnumerateArray(), s =>
        {
            var cp = Assert.Single(s.GetProperty("change_points").EnumerateArray());
            Assert.Equal("machine", cp.GetProperty("suspected_cause").GetString());
            Assert.Contains("4 of 4 benchmarks on runner-1", cp.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(4, TestDb.Count(dir.File("aa.sqlite"), "SELECT COUNT(*) FROM regression_alerts WHERE notes LIKE '%suspected cause: the machine%'"));
        Assert.Equal(4, TestDb.Count(dir.File("aa.sqlite"), "SELECT COUNT(*) FROM benchgate_change_points WHERE suspected_cause = 'machine'"));
    }

    [Fact]
    public void With_a_repository_commits_follow_its_first_parent_history_not_the_order_they_were_stored()
    {
        using var dir = new TempDir();
        var repo = Directory.CreateDirectory(dir.File("llama.cpp")).FullName;
        TestGit.Run(repo, "init", "-q", "-b", "master");
        var shas = new List<string>();
        for (var i = 1; i <= 24; i++)
        {
            File.WriteAllText(Path.Combine(repo, "f.txt"), $"{i}");
            TestGit.Run(repo, "add", "f.txt");
            TestGit.Run(repo, "commit", "-q", "-m", $"commit {i}");
            shas.Add(TestGit.Run(repo, "rev-parse", "HEAD"));
        }

        // Stored newest first (a backfill): storage order puts the step the wrong way round.
        Store(dir, "history/master_history.jsonl", "h.sqlite", i => shas[i - 1][..9], Enumerable.Range(1, 24).Reverse());
        var r = CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite", "--repo", repo, "--branch", "master", "--test", "pp64", "--model", "*small*", "--json-output", "t.json", "--no-record");
        // A new regression fails trend even when --no-record keeps it from being stored.
        Assert.True(r.ExitCode == 1, r.Stdout + r.Stderr);
        Assert.Contains("first-parent history of master", r.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("t.json")));
        var series = Assert.Single(json.RootElement.GetProperty("series").EnumerateArray());
        var cp = Assert.Single(series.GetProperty("change_points").EnumerateArray());
        Assert.Equal(shas[12][..9], cp.GetProperty("commit").GetString());
        Assert.Equal(-11.6, cp.GetProperty("change_percent").GetDouble(), 0.1);
        Assert.Equal(0, TestDb.Count(dir.File("h.sqlite"), "SELECT COUNT(*) FROM regression_alerts"));
    }

    [Fact]
    public void Adding_commits_continues_from_the_stored_state_and_bad_requests_exit_2()
    {
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Fixtures.Path("history/master_history.jsonl"));
        Store(dir, "history/master_history.jsonl", "h.sqlite");
        Assert.Equal(1, CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite").ExitCode);
        Assert.Equal(24, TestDb.Count(dir.File("h.sqlite"), "SELECT MIN(points) FROM benchgate_trend_state"));
        File.WriteAllLines(dir.File("more.jsonl"), lines.Skip(92));
        Assert.Equal(0, CliProcess.Run(dir.Path, "ingest", "more.jsonl", "-d", "h.sqlite", "--commit", "c25", "--branch", "master", "--machine", "runner-1", "--allow-duplicates").ExitCode);
        Assert.Equal(0, CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite").ExitCode);
        Assert.Equal(25, TestDb.Count(dir.File("h.sqlite"), "SELECT MIN(points) FROM benchgate_trend_state"));

        Assert.Equal(0, CliProcess.Run(dir.Path, "migrate", "-d", "empty.sqlite").ExitCode);
        var empty = CliProcess.Run(dir.Path, "trend", "-d", "empty.sqlite");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("empty.sqlite: no runs to analyse", empty.Stderr, StringComparison.Ordinal);
        var missing = CliProcess.Run(dir.Path, "trend", "-d", "missing.sqlite");
        Assert.Equal(2, missing.ExitCode);
        Assert.False(File.Exists(dir.File("missing.sqlite")));
        var metric = CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite", "--metric", "speed");
        Assert.Equal(2, metric.ExitCode);
        Assert.Contains("--metric", metric.Stderr, StringComparison.Ordinal);
        var filtered = CliProcess.Run(dir.Path, "trend", "-d", "h.sqlite", "--model", "nothing*");
        Assert.Equal(2, filtered.ExitCode);
        Assert.Contains("matches the filters", filtered.Stderr, StringComparison.Ordinal);
    }
}
