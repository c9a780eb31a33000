using System.CommandLine;
using BenchGate.Workflows.Detect;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate detect</c>: the spec's performance-regression-detector.</summary>
internal static class DetectCommand
{
    public static Command Create(CliContext context)
    {
        var env = context.Environment;
        var baseline = new Option<string>("--baseline", "--baseline-db") { Description = "baseline results (any format ingest reads); default $BASELINE_DB or performance-baseline.sqlite", DefaultValueFactory = _ => env("BASELINE_DB") is { Length: > 0 } b ? b : "performance-baseline.sqlite" };
        var current = new Option<string>("--current") { Description = "current results (a file, or postgres://...); default $BENCHGATE_DATABASE, else $RESULTS_DB, else performance-results.sqlite", DefaultValueFactory = _ => DatabaseOption.Default(context) };
        var baselineCommit = new Option<string?>("--baseline-commit") { Description = "only the baseline runs of this commit (prefix of build_commit)" };
        var baselineName = new Option<string?>("--baseline-name") { Description = "a baseline saved in --baseline's performance_baselines (its runs, or the runs of its commit)" };
        var currentCommit = new Option<string?>("--current-commit") { Description = "only the current runs of this commit" };
        var threshold = ThresholdOption.Create(context);
        var output = new Option<string>("--output") { Description = "markdown report", DefaultValueFactory = _ => "regression-report.md" };
        var jsonOutput = new Option<string?>("--json-output") { Description = "JSON report (schema: docs/regression-report.schema.json)" };
        var flagFile = new Option<string?>("--flag-file") { Description = "written only when a regression is found; default regression-detected.flag beside the report" };
        var config = new Option<string?>("--config") { Description = "YAML thresholds per metric, backend, model and test (benchgate.yaml)" };
        var failOnInconclusive = new Option<bool>("--fail-on-inconclusive") { Description = "exit 3 when a change cannot be told from noise" };
        var noRecord = new Option<bool>("--no-record") { Description = "do not store the runs in performance_history nor the regressions in regression_alerts" };
        var branch = new Option<string?>("--branch") { Description = "branch, for performance_history" };
        var machine = new Option<string?>("--machine") { Description = "machine, for performance_history" };
        var paired = new Option<bool>("--paired") { Description = "run i of --baseline and run i of --current were made one after the other (interleaved): analyse their differences (runs stored by run --interleave are paired without it)" };
        var matrix = MatrixOption.Create("also add the t/s comparisons to the markdown report as tests × models, backends or both");
        var command = new Command("detect", """
            Compare current results with a baseline and report regressions (exit 1), with confidence intervals,
            noise from the runs and from performance_history, and false discoveries controlled. Exit codes: 0 no
            regression, 1 regression, 2 usage or input error, 3 inconclusive (with --fail-on-inconclusive).
            """)
        {
            baseline, current, baselineCommit, baselineName, currentCommit, threshold, output, jsonOutput, flagFile, config, failOnInconclusive, noRecord, branch, machine, paired, matrix,
        };
        command.SetAction(p => CommandErrors.Run(context, () =>
        {
            var req = new DetectRequest(
                p.GetValue(baseline)!, p.GetValue(current)!, p.GetValue(baselineCommit), p.GetValue(baselineName), p.GetValue(currentCommit), p.GetValue(threshold), p.GetValue(output)!,
                p.GetValue(jsonOutput), p.GetValue(flagFile), p.GetValue(config), p.GetValue(failOnInconclusive), !p.GetValue(noRecord), p.GetValue(branch), p.GetValue(machine), p.GetValue(paired),
                MatrixOption.Value(p, matrix));
            return ExitCodes.For(DetectWorkflow.Run(context.Host, req).Gate);
        }));
        return command;
    }
}
