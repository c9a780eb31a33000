using System.Text.Json;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

/// <summary>
/// ci with benchgate.yaml's matrix: master runs every configuration, a pull request the default ones changed by its
/// labels and its description, read from the pull_request event as GitHub Actions saves it at $GITHUB_EVENT_PATH.
/// </summary>
public sealed class CiMatrixTests
{
    private const string Config = """
        models:
          large: large.gguf
          small: small.gguf
        matrix:
          - name: prompt
            models: [large]
            args: -p 512 -n 128
          - name: small-model
            models: [small]
            args: -p 64
            default: false
        labels:
          "perf: small": { add: [small-model] }
          "perf: no-prompt": { skip: [prompt] }
        """;

    /// <summary>
    /// A pull_request "labeled" event (or "edited": the description changed) with the fields GitHub sends that ci
    /// reads, among others it ignores.
    /// </summary>
    private static string Event(TempDir dir, string? body, params string[] labels) => Event(dir, "labeled", body, labels);

    private static string Event(TempDir dir, string action, string? body, params string[] labels)
    {
        var payload = new
        {
            action,
            number = 123,
            label = action == "labeled" && labels.Length > 0 ? new { id = 1, name = labels[^1], color = "ededed", @default = false } : null,
            changes = action == "edited" ? new { body = new { from = "Makes the KV cache faster." } } : null,
            pull_request = new
            {
                url = "https://api.github.com/repos/ggml-org/llama.cpp/pulls/123",
                id = 2_000_000_123,
                number = 123,
                state = "open",
                title = "ggml : faster KV cache",
                user = new { login = "contributor", id = 42, type = "User" },
                body,
                labels = labels.Select((l, i) => new { id = 100 + i, node_id = $"LA_{i}", url = $"https://api.github.com/repos/ggml-org/llama.cpp/labels/{Uri.EscapeDataString(l)}", name = l, color = "ededed", @default = false, description = (string?)null }),
                head = new { label = "contributor:kv", @ref = "kv", sha = "3f545becc1111111111111111111111111111111" },
                @base = new { label = "ggml-org:master", @ref = "master", sha = "3f545becc0000000000000000000000000000000" },
                draft = false,
            },
            repository = new { id = 612354784, full_name = "ggml-org/llama.cpp" },
            sender = new { login = "maintainer", id = 7 },
        };
        var path = dir.File($"event-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(payload));
        return path;
    }

    private static Dictionary<string, string> Env(FakeGitHub github, string? eventPath) => new()
    {
        ["GITHUB_API_URL"] = github.Url,
        ["GITHUB_TOKEN"] = "ghs_secret",
        ["GITHUB_REPOSITORY"] = "ggml-org/llama.cpp",
        ["GITHUB_REF"] = "refs/pull/123/merge",
        ["GITHUB_SHA"] = "3f545becc1111111111111111111111111111111",
        ["GITHUB_EVENT_PATH"] = eventPath ?? "",
        ["RUNNER_NAME"] = "runner-1",
    };

    private static (string Master, string Head) Benches(TempDir dir)
    {
        var master = StandIn.Create(dir, "master-bench");
        var head = StandIn.Create(dir, "head-bench");
        File.Copy(Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), master + ".large.gguf.jsonl");
        File.Copy(Fixtures.Path("llama-bench/ab-cpu-long/ab_long_slow.jsonl"), head + ".large.gguf.jsonl");
        File.Copy(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), master + ".small.gguf.jsonl");
        File.Copy(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl"), head + ".small.gguf.jsonl");
        File.WriteAllText(dir.File("large.gguf"), "GGUF");
        File.WriteAllText(dir.File("small.gguf"), "GGUF");
        File.WriteAllText(dir.File("benchgate.yaml"), Config);
        return (master, head);
    }

    [Fact]
    public void Master_runs_every_configuration_and_a_pull_request_runs_what_its_labels_and_description_ask()
    {
        using var dir = new TempDir();
        using var github = new FakeGitHub();
        var (master, head) = Benches(dir);
        var push = CliProcess.Run(dir.Path, null, new Dictionary<string, string>(Env(github, null)) { ["GITHUB_REF_NAME"] = "master" },
            "ci", "push", "--bench", master, "-d", "master.sqlite", "--baseline-db", "baseline.sqlite", "--config", "benchgate.yaml", "--backend", "cpu", "--", "-t", "2");
        Assert.True(push.ExitCode == 0, push.Stdout + push.Stderr);
        Assert.Contains("configuration prompt (every configuration runs on the baseline branch), model large: llama-bench -m large.gguf -p 512 -n 128 -t 2", push.Stdout, StringComparison.Ordinal);
        Assert.Contains("configuration small-model (every configuration runs on the baseline branch), model small: llama-bench -m small.gguf -p 64 -t 2", push.Stdout, StringComparison.Ordinal);

        // No label, no block: the default configuration runs and finds the large model's regression.
        var plain = CliProcess.Run(dir.Path, null, Env(github, Event(dir, null)),
            "ci", "pr", "--bench", head, "-d", "pr1.sqlite", "--baseline-db", "baseline.sqlite", "--config", "benchgate.yaml", "--backend", "cpu", "--matrix", "model", "--", "-t", "2");
        Assert.True(plain.ExitCode == 1, plain.Stdout + plain.Stderr);
        Assert.DoesNotContain("configuration small-model", plain.Stdout, StringComparison.Ordinal);
        var comment = Assert.Single(github.Comments).Body;
        Assert.StartsWith("<!-- benchgate:performance-report:cpu -->", comment, StringComparison.Ordinal);
        Assert.Contains("### Configurations (cpu)", comment, StringComparison.Ordinal);
        Assert.Contains("| prompt | large | `-p 512 -n 128` | default |", comment, StringComparison.Ordinal);
        Assert.Contains("- Not run: **small-model** (not a default: ask for it with a label or the description)", comment, StringComparison.Ordinal);
        Assert.Contains("labels: `perf: small`, `perf: no-prompt`.", comment, StringComparison.Ordinal);
        // --matrix (as the workflow passes it with a config): the configurations' t/s as tests × models, with the backend's mean.
        Assert.Contains("### Speedup across models", comment, StringComparison.Ordinal);
        Assert.Matches(@"\| backend +\| CPU +\| 0\.[0-9]+ \[", comment);

        // A maintainer's label skips the regressed configuration, the description adds the small model and a stricter threshold.
        const string body = "Makes the KV cache faster.\r\n\r\n```benchgate\r\nadd: [small-model]\r\nthreshold: 4\r\n```\r\n";
        var asked = CliProcess.Run(dir.Path, null, Env(github, Event(dir, "edited", body, "ggml", "perf: no-prompt")),
            "ci", "pr", "--bench", head, "-d", "pr2.sqlite", "--baseline-db", "baseline.sqlite", "--config", "benchgate.yaml", "--backend", "cpu", "--", "-t", "2");
        Assert.True(asked.ExitCode == 0, asked.Stdout + asked.Stderr);
        Assert.Contains("configuration small-model (the pull request's description (line 3)), model small: llama-bench -m small.gguf -p 64 -t 2", asked.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration prompt", asked.Stdout, StringComparison.Ordinal);
        var updated = Assert.Single(github.Comments).Body;
        Assert.Contains("| small-model | small | `-p 64` | the pull request's description (line 3) |", updated, StringComparison.Ordinal);
        Assert.Contains("- Not run: **prompt** (skipped by label `perf: no-prompt`)", updated, StringComparison.Ordinal);
        Assert.Contains("- Threshold 4%, from the pull request's description (line 3)", updated, StringComparison.Ordinal);
        Assert.Contains("**Threshold:** 4.0%", updated, StringComparison.Ordinal);
        Assert.Equal(0, TestDb.Count(dir.File("pr2.sqlite"), "SELECT COUNT(*) FROM llama_bench WHERE model_filename LIKE '%large%'"));
    }

    [Fact]
    public void A_description_block_that_is_not_valid_stops_the_job_and_tells_the_author_where()
    {
        using var dir = new TempDir();
        using var github = new FakeGitHub();
        var (_, head) = Benches(dir);
        const string body = "Fix.\n\n```benchgate\nadd: [small-modle]\n```\n";
        var r = CliProcess.Run(dir.Path, null, Env(github, Event(dir, body)),
            "ci", "pr", "--bench", head, "-d", "pr.sqlite", "--baseline-db", "baseline.sqlite", "--config", "benchgate.yaml", "--", "-t", "2");
        Assert.Equal(2, r.ExitCode);
        const string message = "line 4 of the pull request's description: the benchgate block names configuration 'small-modle', which matrix: does not define (known: prompt, small-model)";
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        var error = Assert.Single(github.Comments).Body;
        Assert.Contains("```text\n" + message, error, StringComparison.Ordinal);
        Assert.Contains("Nothing was benchmarked", File.ReadAllText(dir.File("regression-report.md")), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("pr.sqlite")));

        // That comment was written without --backend (the plain marker): the cpu job's comment takes it over instead of adding one.
        var fixedBody = CliProcess.Run(dir.Path, null, Env(github, Event(dir, null)),
            "ci", "pr", "--bench", head, "-d", "pr-fixed.sqlite", "--baseline-db", "baseline.sqlite", "--config", "benchgate.yaml", "--backend", "cpu", "--", "-t", "2");
        Assert.True(fixedBody.ExitCode == 0, fixedBody.Stdout + fixedBody.Stderr);
        Assert.StartsWith("<!-- benchgate:performance-report:cpu -->", Assert.Single(github.Comments).Body, StringComparison.Ordinal);

        var model = CliProcess.Run(dir.Path, null, Env(github, Event(dir, null)),
            "ci", "pr", "--bench", head, "-d", "pr.sqlite", "--baseline-db", "baseline.sqlite", "--config", "benchgate.yaml", "--no-comment", "--", "-m", "large.gguf");
        Assert.Equal(2, model.ExitCode);
        Assert.Contains("-m after --: with a matrix in the config, its configurations name the models", model.Stderr, StringComparison.Ordinal);
    }
}
