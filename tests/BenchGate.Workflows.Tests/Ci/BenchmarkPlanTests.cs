using BenchGate.Workflows.Ci;
using BenchGate.Workflows.Configuration;

namespace BenchGate.Workflows.Tests.Ci;

/// <summary>Which configurations a ci job runs: benchgate.yaml's matrix, a pull request's labels and its description's block.</summary>
public sealed class BenchmarkPlanTests
{
    private const string Config = """
        threshold: 5
        models:
          tiny: models/tiny.gguf
          llama3: models/llama3-8b-q4_0.gguf
        matrix:
          - name: prompt
            models: [tiny, llama3]
            args: "-p 512 -n 0 -r 5"
          - name: generation
            models: [tiny]
            args: -p 0 -n 128
          - name: long-context
            models: [llama3]
            args: ["-p", "512", "-d", "4096"]
            default: false
            threshold: 8
          - name: cuda-fa
            models: [tiny]
            args: -fa 1 -ngl 99
            backends: [cuda]
        labels:
          "perf: long-context": { add: [long-context] }
          "perf: quick": { only: [generation] }
        """;

    private static DetectionConfig Read(string text = Config) => DetectionConfigReader.Read(text, "benchgate.yaml");

    private static List<string> Names(IEnumerable<PlannedConfiguration> c) => [.. c.Select(x => x.Entry.Name)];

    [Fact]
    public void A_pull_request_runs_its_backends_defaults_and_master_runs_every_configuration()
    {
        var config = Read();
        var plan = BenchmarkPlan.ForPullRequest(config, "cpu", [], null, 5);
        Assert.Equal(["prompt", "generation"], Names(plan.Run));
        Assert.Equal(["long-context"], Names(plan.Skipped));
        Assert.All(plan.Run, c => Assert.Equal("default", c.Reason));
        Assert.Null(plan.Threshold);
        Assert.Equal(
            [["-m", "models/tiny.gguf", "-p", "512", "-n", "0", "-r", "5", "-t", "4"], ["-m", "models/llama3-8b-q4_0.gguf", "-p", "512", "-n", "0", "-r", "5", "-t", "4"],
                ["-m", "models/tiny.gguf", "-p", "0", "-n", "128", "-t", "4"]],
            plan.Invocations(config, ["-t", "4"]).Select(i => i.Args.ToArray()));

        Assert.Equal(["prompt", "generation", "long-context"], Names(BenchmarkPlan.ForPush(config, "cpu").Run));
        Assert.Equal(["prompt", "generation", "long-context", "cuda-fa"], Names(BenchmarkPlan.ForPush(config, "CUDA").Run));
    }

    [Fact]
    public void Labels_then_the_description_change_what_runs_and_the_comment_says_why()
    {
        var config = Read();
        const string description = "Speeds up the KV cache.\r\n\r\n```benchgate\r\nadd: [long-context]\r\nthreshold: 3\r\n```\r\n";
        var plan = BenchmarkPlan.ForPullRequest(config, "cpu", ["bug", "perf: quick"], description, 5);
        // perf: quick (a maintainer's label) narrows to generation; the description adds long-context and a stricter threshold.
        Assert.Equal(["generation", "long-context"], Names(plan.Run));
        Assert.Equal("label `perf: quick`", plan.Run[0].Reason);
        Assert.Equal("the pull request's description (line 3)", plan.Run[1].Reason);
        Assert.Equal("not among the configurations label `perf: quick` runs", plan.Skipped.Single().Reason);
        Assert.Equal((3.0, "the pull request's description (line 3)"), (plan.Threshold!.Value, plan.ThresholdReason));

        var md = plan.Markdown(config, "cpu");
        Assert.Contains("### Configurations (cpu)", md, StringComparison.Ordinal);
        Assert.Contains("| long-context | llama3 | `-p 512 -d 4096` | the pull request's description (line 3); threshold 8% |", md, StringComparison.Ordinal);
        Assert.Contains("- Not run: **prompt** (not among the configurations label `perf: quick` runs)", md, StringComparison.Ordinal);
        Assert.Contains("- Threshold 3%, from the pull request's description (line 3)", md, StringComparison.Ordinal);
        // long-context's 8% reaches its own tests of llama3 (-p 512 -d 4096, -n 128 by default), not prompt's pp512 of llama3.
        Assert.Equal(
            [new Detection.ThresholdOverride(8, Model: "*llama3-8b-q4_0.gguf", Test: "pp512@d4096"), new Detection.ThresholdOverride(8, Model: "*llama3-8b-q4_0.gguf", Test: "tg128@d4096")],
            plan.Overrides(config, []));
        // The job's own -d 0 adds tests of depth 0 to every configuration, and llama-bench adds repeated flags' values up.
        Assert.Equal(["pp512@d4096", "pp512", "tg128@d4096", "tg128"], plan.Overrides(config, ["-d", "0"]).Select(o => o.Test));
    }

    [Fact]
    public void Thresholds_only_get_stricter_and_a_looser_label_leaves_the_configs()
    {
        var config = Read(Config + "\n  \"perf: lax\": { threshold: 20 }\n  \"perf: strict\": { threshold: 2 }\n");
        Assert.Null(BenchmarkPlan.ForPullRequest(config, "cpu", ["perf: lax"], null, 5).Threshold);
        var strict = BenchmarkPlan.ForPullRequest(config, "cpu", ["perf: strict"], null, 5);
        Assert.Equal((2.0, "label `perf: strict`"), (strict.Threshold!.Value, strict.ThresholdReason));
        var e = Assert.Throws<ConfigException>(() => BenchmarkPlan.ForPullRequest(config, "cpu", ["perf: strict"], "```benchgate\nthreshold: 3\n```", 5));
        Assert.Contains("line 2 of the pull request's description: a pull request may only make the threshold stricter than 2%, not 3%", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_backends_configuration_named_by_a_pull_request_changes_nothing_here()
    {
        var plan = BenchmarkPlan.ForPullRequest(Read(), "cpu", [], "```benchgate\nadd: [cuda-fa]\n```", 5);
        Assert.Equal(["prompt", "generation"], Names(plan.Run));
        Assert.Equal(["long-context"], Names(plan.Skipped));
    }

    [Theory]
    [InlineData("text\n\n```benchgate\nadd: [long-ctx]\n```", "line 4 of the pull request's description: the benchgate block names configuration 'long-ctx', which matrix: does not define")]
    [InlineData("```benchgate\nadd: [generation]\nthreshold: 9\n```", "line 3 of the pull request's description: a pull request may only make the threshold stricter than 5%, not 9%")]
    [InlineData("a\nb\n~~~benchgate\nrun: [prompt]\n~~~", "line 4 of the pull request's description (its benchgate block): unknown key 'run' (known here: only, add, skip, threshold)")]
    [InlineData("```benchgate\nadd: [prompt\n```", "line 3 of the pull request's description (its benchgate block): not valid YAML")]
    [InlineData("fix\n```benchgate\nskip: [prompt]\n```", "line 3 of the pull request's description: a description may add configurations (add:) and make the threshold stricter (threshold:); running fewer (skip:, only:) takes a label ('perf: long-context', 'perf: quick')")]
    [InlineData("```benchgate\nonly: []\n```", "running fewer (skip:, only:) takes a label")]
    [InlineData("```benchgate\nadd: [prompt]\n", "line 1 of the pull request's description: the benchgate block is never closed with ```")]
    [InlineData("```benchgate\n```\n\n```benchgate\n```", "line 4 of the pull request's description: a second benchgate block (the first starts at line 1)")]
    public void A_description_block_that_is_not_valid_names_its_line(string description, string message)
    {
        var e = Assert.Throws<ConfigException>(() => BenchmarkPlan.ForPullRequest(Read(), "cpu", [], description, 5));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("models: {a: x.gguf}\nmatrix:\n  - {name: p, models: [b]}\n", "line 3: configuration 'p' names model 'b', which models: does not define (known: a)")]
    [InlineData("models: {a: x.gguf}\nmatrix:\n  - {name: p, models: [a]}\n  - {name: p, models: [a]}\n", "line 4: two configurations are named 'p'")]
    [InlineData("models: {a: x.gguf}\nmatrix:\n  - {name: p, models: [a], args: -m y.gguf}\n", "line 3: args may not give -m")]
    [InlineData("models: {a: x.gguf}\nmatrix:\n  - {models: [a]}\n", "line 3: a configuration needs a name")]
    [InlineData("models: {a: x.gguf}\nmatrix:\n  - {name: 'p q', models: [a]}\n", "line 3: 'p q' cannot name a configuration")]
    [InlineData("models: {a: x.gguf}\nmatrix:\n  - {name: p, models: [a], default: maybe}\n", "line 3: 'maybe' is not true or false")]
    [InlineData("models: {a: x.gguf}\nmatrix:\n  - {name: p, models: [a], args: \"-p '512\"}\n", "line 3: an unclosed ' in args")]
    [InlineData("models: {a: x.gguf}\nmatrix:\n  - {name: p, models: [a]}\nlabels:\n  big: {add: [q]}\n", "line 5: label 'big' names configuration 'q'")]
    public void A_config_whose_matrix_is_not_valid_names_its_line(string yaml, string message)
    {
        var e = Assert.Throws<ConfigException>(() => Read(yaml));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("benchgate.yaml", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "pp512 tg128")]
    [InlineData("-p 64,512 -n 0", "pp64 pp512")]
    [InlineData("-p 64 -p 512 -n 16", "pp64 pp512 tg16")]
    [InlineData("-pg 512,128 -p 0 -n 0 -d 0,4096", "pp512+tg128 pp512+tg128@d4096")]
    [InlineData("-p 512-2048*2", null)]
    public void The_tests_of_llama_bench_arguments_follow_its_defaults_and_lists(string args, string? tests)
    {
        var labels = LlamaBenchTests.Of(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(tests, labels is null ? null : string.Join(' ', labels));
    }
}
