using System.CommandLine;
using BenchGate.Workflows.Ci;

namespace BenchGate.Cli.Commands;

/// <summary>
/// <c>benchgate ci pr|push</c>: the spec's Workflow section end to end, so that the GitHub Actions YAML stays thin and
/// the logic is tested here.
/// </summary>
internal static class CiCommand
{
    public static Command Create(CliContext context)
    {
        var env = context.Environment;
        Option<string> Bench() => BenchOption.Create("the llama-bench binary of the head (or pushed) commit");
        Option<string> Results() => DatabaseOption.Create(context);
        Option<string> Baseline() => new("--baseline-db") { Description = "baseline database (restored by the workflow's cache); default $BASELINE_DB or performance-baseline.sqlite", DefaultValueFactory = _ => env("BASELINE_DB") is { Length: > 0 } b ? b : "performance-baseline.sqlite" };
        Option<int> Runs(string what) => new("--runs") { Description = what, DefaultValueFactory = _ => 1 };
        Option<double> Timeout() => DurationOption.Create("--timeout", "seconds before a llama-bench run is killed", 3600);
        Argument<string[]> Args() => new("llama-bench-args") { Description = "llama-bench's arguments, after --", Arity = ArgumentArity.ZeroOrMore };

        var prBench = Bench();
        var prResults = Results();
        var prBaseline = Baseline();
        var prRuns = Runs("llama-bench invocations of the head (pairs of base and head with --base-bench)");
        var prTimeout = Timeout();
        var prArgs = Args();
        var buildCmd = new Option<string?>("--build-cmd") { Description = "without a baseline database: shell command that builds the base commit's llama-bench ($BASE_SHA is set)" };
        var baseBench = new Option<string?>("--base-bench") { Description = "the base commit's llama-bench that --build-cmd builds; run interleaved with --bench" };
        var baseSha = new Option<string?>("--base-sha") { Description = "base commit (default: the pull request's base from $GITHUB_EVENT_PATH)" };
        var repo = new Option<string?>("--repo") { Description = "owner/name (default $GITHUB_REPOSITORY)" };
        var pr = new Option<int?>("--pr") { Description = "pull request number (default from $GITHUB_EVENT_PATH or $GITHUB_REF)" };
        var threshold = ThresholdOption.Create(context);
        var config = new Option<string?>("--config") { Description = "benchgate.yaml: thresholds, and the matrix of configurations to run (changed per pull request by labels and the description's benchgate block)" };
        var output = new Option<string>("--output") { Description = "markdown report", DefaultValueFactory = _ => "regression-report.md" };
        var json = new Option<string>("--json-output") { Description = "JSON report", DefaultValueFactory = _ => "regression-report.json" };
        var noComment = new Option<bool>("--no-comment") { Description = "do not comment on the pull request" };
        var dashboardUrl = new Option<string?>("--dashboard-url") { Description = "where ci push's dashboard is published (GitHub Pages): the comment links each regressed benchmark to its page" };
        var matrix = MatrixOption.Create("also add the t/s comparisons to the report and the PR comment as tests × models, backends or both");
        Option<string?> Backend() => new("--backend")
        {
            Description = "this job's backend (cpu, cuda, metal…): runs the config's matrix configurations for it; default $BENCHGATE_BACKEND",
            DefaultValueFactory = _ => context.Environment("BENCHGATE_BACKEND") is { Length: > 0 } b ? b : null,
        };
        var prBackend = Backend();
        var prCommand = new Command("pr", """
            Pull request: benchmark the head with --bench (and, without a baseline database, build and run the base
            interleaved with it), compare with the baseline, write the reports, keep one PR comment up to date, append
            to the job summary; exit 1 on a regression.
            """)
        {
            prBench, prResults, prBaseline, prRuns, prTimeout, buildCmd, baseBench, baseSha, repo, pr, threshold, config, output, json, noComment, dashboardUrl, matrix, prBackend, prArgs,
        };
        prCommand.SetAction(p => CommandErrors.Run(context, () => ExitCodes.For(CiWorkflow.PullRequest(context.Host, new CiPullRequest(
            p.GetValue(prBench)!, p.GetValue(prResults)!, p.GetValue(prBaseline)!, Math.Max(1, p.GetValue(prRuns)), p.GetValue(prTimeout), p.GetValue(buildCmd), p.GetValue(baseBench),
            p.GetValue(baseSha), p.GetValue(repo), p.GetValue(pr), p.GetValue(threshold), p.GetValue(config), p.GetValue(output)!, p.GetValue(json)!, p.GetValue(noComment),
            p.GetValue(prArgs) ?? [], p.GetValue(dashboardUrl), MatrixOption.Value(p, matrix), p.GetValue(prBackend))))));

        var pushBench = Bench();
        var pushResults = Results();
        var pushBaseline = Baseline();
        var pushRuns = Runs("llama-bench invocations of the pushed commit");
        var pushTimeout = Timeout();
        var pushArgs = Args();
        var name = new Option<string?>("--baseline-name") { Description = "name of the new baseline (default <branch>-<short sha>)" };
        var pushThreshold = ThresholdOption.Create(context);
        var pushConfig = new Option<string?>("--config") { Description = "benchgate.yaml: thresholds (for the history's change points), and the matrix: a push runs every configuration of its backend" };
        var pushBackend = Backend();
        var dashboard = new Option<string?>("--dashboard") { Description = "also write benchgate dashboard's site of the baseline database's history to this folder (to publish with GitHub Pages)" };
        var pushCommand = new Command("push", """
            Push to master: benchmark the pushed commit, record it in the history (against the previous baseline), and
            store it as the new active baseline of its branch and machine.
            """)
        {
            pushBench, pushResults, pushBaseline, pushRuns, pushTimeout, name, pushThreshold, pushConfig, dashboard, pushBackend, pushArgs,
        };
        pushCommand.SetAction(p => CommandErrors.Run(context, () => ExitCodes.For(CiWorkflow.Push(context.Host, new CiPush(
            p.GetValue(pushBench)!, p.GetValue(pushResults)!, p.GetValue(pushBaseline)!, Math.Max(1, p.GetValue(pushRuns)), p.GetValue(pushTimeout), p.GetValue(name),
            p.GetValue(pushThreshold), p.GetValue(pushConfig), p.GetValue(pushArgs) ?? [], p.GetValue(dashboard), p.GetValue(pushBackend))))));

        return new Command("ci", "The GitHub Actions workflow's steps: 'ci pr' on pull requests, 'ci push' on pushes to master.") { prCommand, pushCommand };
    }
}
