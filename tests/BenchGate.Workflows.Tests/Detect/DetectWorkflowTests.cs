using BenchGate.Detection;
using BenchGate.Tests.Shared;
using BenchGate.Workflows.Detect;

namespace BenchGate.Workflows.Tests.Detect;

/// <summary>Issue #15: detect's work called as ci calls it, with a typed request and no command line.</summary>
public sealed class DetectWorkflowTests
{
    [Fact]
    public void A_real_slowdown_is_a_regression_with_its_report_flag_file_and_job_summary()
    {
        using var dir = new TempDir();
        var current = dir.Copy("llama-bench/ab-cpu-long/ab_long_slow.sqlite");
        var summary = dir.File("summary.md");
        var host = new BufferedHost().With("GITHUB_STEP_SUMMARY", summary);
        var outcome = DetectWorkflow.Run(host.Host, new DetectRequest(Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), current,
            Output: dir.File("report.md"), JsonOutput: dir.File("report.json")));

        Assert.Equal(GateOutcome.Regression, outcome.Gate);
        Assert.Contains(outcome.Report.Comparisons, c => c.Verdict == Verdict.Regression && c.Metric.Name == "avg_ts");
        Assert.True(outcome.Recorded);
        Assert.NotEmpty(outcome.Alerts);
        Assert.True(File.Exists(dir.File("report.json")));
        Assert.Contains("Regression", File.ReadAllText(dir.File("report.md")), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(dir.File("report.md")) + "\n", File.ReadAllText(summary));
        Assert.True(File.Exists(dir.File("regression-detected.flag")));
        Assert.Contains($"recorded the current runs in performance_history of {current}", host.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_builds_the_other_way_pass_and_a_stale_flag_file_is_removed()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("regression-detected.flag"), "from an earlier run\n");
        var outcome = DetectWorkflow.Run(new BufferedHost().Host, new DetectRequest(Fixtures.Path("llama-bench/ab-cpu-long/ab_long_slow.jsonl"),
            Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), Output: dir.File("report.md"), FailOnInconclusive: false));

        Assert.Equal(GateOutcome.Pass, outcome.Gate);
        Assert.False(outcome.Recorded);
        Assert.False(File.Exists(dir.File("regression-detected.flag")));
    }

    [Fact]
    public void Comparing_nothing_is_an_input_error_after_the_report_says_so()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InputException>(() => DetectWorkflow.Run(new BufferedHost().Host, new DetectRequest(
            Fixtures.Path("history/master_history.jsonl"), Fixtures.Path("llama-bench/ab-cpu-long/ab_long_fast.jsonl"), Output: dir.File("report.md"))));
        Assert.StartsWith("nothing compared", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.File("report.md")));
    }
}
