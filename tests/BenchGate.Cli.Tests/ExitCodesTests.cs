using BenchGate.Storage;
using BenchGate.Tests.Shared;
using BenchGate.Workflows.Configuration;

namespace BenchGate.Cli.Tests;

/// <summary>Issue #15: one error model; each kind of failure has its type and one mapping to an exit code.</summary>
public sealed class ExitCodesTests
{
    [Fact]
    public void Each_user_caused_failure_is_exit_2_and_anything_else_is_a_bug()
    {
        Assert.Equal(2, ExitCodes.For(new InputException("no such file", input: "a.jsonl")));
        Assert.Equal(2, ExitCodes.For(new ConfigException("invalid config at line 3")));
        Assert.Equal(2, ExitCodes.For(new ExternalToolException("llama-bench exited with code 1", "llama-bench")));
        Assert.Equal(2, ExitCodes.For(new StoreException("database is locked")));
        Assert.Equal(2, ExitCodes.For(new IOException("disk full")));
        Assert.Equal(70, ExitCodes.For(new InvalidOperationException("a bug")));
        Assert.Equal(70, ExitCodes.For(new ArgumentException("not a path", "count")));
    }

    [Fact]
    public void The_message_names_the_input_and_place_without_hiding_Exception_Source()
    {
        var e = new InputException("not a number", "line 4", "results.jsonl");
        Assert.Equal("results.jsonl: line 4: not a number", e.Message);
        Assert.Equal("results.jsonl", e.Input);
        Assert.Equal("other.jsonl", new InputException("not a number", "line 4").WithInput("other.jsonl").Input);
        Assert.Null(((Exception)e).Source);
    }

    [Fact]
    public void A_bad_config_is_a_config_error_naming_its_line_and_a_failed_llama_bench_a_tool_error()
    {
        using var dir = new TempDir();
        var config = dir.File("benchgate.yaml");
        File.WriteAllText(config, "threshold: [1, 2\n");
        var e = Assert.Throws<ConfigException>(() => DetectionConfig.Load(config));
        Assert.StartsWith(config + ": invalid", e.Message, StringComparison.Ordinal);

        var r = CliProcess.Run(dir.Path, "run", "--bench", "/bin/false", "-d", dir.File("r.sqlite"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/bin/false", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }
}
