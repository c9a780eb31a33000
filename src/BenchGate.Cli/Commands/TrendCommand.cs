using System.CommandLine;
using BenchGate.Trend;
using BenchGate.Workflows.Trend;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate trend</c>: every benchmark's history in commit order, its change points, and one alert per new regression.</summary>
internal static class TrendCommand
{
    public static Command Create(CliContext context)
    {
        var database = DatabaseOption.Create(context);
        var branch = new Option<string?>("--branch") { Description = "only runs stored for this branch (ci push stores master's); with --repo, the branch whose first-parent history orders the commits" };
        var machine = new Option<string?>("--machine") { Description = "only runs of this machine or runner" };
        var model = new Option<string?>("--model") { Description = "only these models ('*' wildcards: tinyllama*)" };
        var backend = new Option<string?>("--backend") { Description = "only these backends (CPU, CUDA*, …)" };
        var test = new Option<string?>("--test") { Description = "only these tests (pp512, tg*, …)" };
        var metric = new Option<string[]>("--metric") { Description = "metrics to analyse: avg_ts (default), avg_ns, model_size, or all", DefaultValueFactory = _ => ["avg_ts"], AllowMultipleArgumentsPerToken = true };
        var repo = new Option<string?>("--repo") { Description = "a git clone of llama.cpp: commits in the first-parent order of --branch (default its checked-out branch), not in the order they were stored" };
        var threshold = ThresholdOption.Create(context);
        var config = new Option<string?>("--config") { Description = "YAML thresholds per metric, backend, model and test (benchgate.yaml)" };
        var output = new Option<string>("--output") { Description = "markdown report", DefaultValueFactory = _ => "trend.md" };
        var jsonOutput = new Option<string?>("--json-output") { Description = "JSON report (schema: docs/trend-report.schema.json)" };
        var noRecord = new Option<bool>("--no-record") { Description = "store nothing: no analysis state, change points or alerts" };
        var full = new Option<bool>("--full") { Description = "analyse every series from its first point, ignoring what earlier runs of trend stored" };
        var command = new Command("trend", """
            Every benchmark and metric as a series in commit order (one point per commit), its change points (E-divisive means,
            confirmed by a t test between the levels) with the change and its interval, judged by the threshold. A regression
            change point raises one alert the first time it is found; one that most series of a machine share at once is put
            down to the machine. Exit codes: 0 no new regression, 1 a new regression alert, 2 usage or input error.
            """)
        {
            database, branch, machine, model, backend, test, metric, repo, threshold, config, output, jsonOutput, noRecord, full,
        };
        command.SetAction(p => CommandErrors.Run(context, () => ExitCodes.For(TrendWorkflow.Run(context.Host, new TrendHistoryRequest(
            p.GetValue(database)!, p.GetValue(branch), p.GetValue(machine), new TrendFilter(p.GetValue(model), p.GetValue(backend), p.GetValue(test)), p.GetValue(metric)!,
            p.GetValue(repo), p.GetValue(threshold), p.GetValue(config), p.GetValue(output)!, p.GetValue(jsonOutput), !p.GetValue(noRecord), p.GetValue(full))).Gate)));
        return command;
    }
}
