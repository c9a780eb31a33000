using System.CommandLine;
using BenchGate.Workflows.Dashboard;

namespace BenchGate.Cli.Commands;

/// <summary><c>benchgate dashboard</c>: the history of every benchmark, its change points, alerts and memory, as a static site.</summary>
internal static class DashboardCommand
{
    public static Command Create(CliContext context)
    {
        var database = DatabaseOption.Create(context);
        var output = new Option<string>("--output", "-o") { Description = "folder of the site (written whole; an existing folder is replaced only if dashboard wrote it)", DefaultValueFactory = _ => "site" };
        var branch = new Option<string?>("--branch") { Description = "only runs stored for this branch; with --repo, the branch whose first-parent history orders the commits" };
        var machine = new Option<string?>("--machine") { Description = "only runs of this machine or runner" };
        var metric = new Option<string[]>("--metric") { Description = "metrics to chart: avg_ts and avg_ns (default), model_size, or all", DefaultValueFactory = _ => ["avg_ts", "avg_ns"], AllowMultipleArgumentsPerToken = true };
        var repo = new Option<string?>("--repo") { Description = "a git clone of llama.cpp: commits in first-parent order, not in the order they were stored" };
        var threshold = ThresholdOption.Create(context);
        var config = new Option<string?>("--config") { Description = "YAML thresholds per metric, backend, model and test (benchgate.yaml)" };
        var title = new Option<string?>("--title") { Description = "the site's title (default: llama.cpp performance)" };
        var commitUrl = new Option<string?>("--commit-url") { Description = "link commits to this URL, {commit} replaced by the hash (default in GitHub Actions: the repository's commit page; otherwise the compare page)" };
        var verbose = new Option<bool>("--verbose") { Description = "say on stderr how long each phase took" };
        var command = new Command("dashboard", """
            Writes a static site (no server, nothing from a CDN; works from file:// and GitHub Pages): every benchmark with its
            latest value, sparkline, latest change point and open alerts (filter, sort, search); a page per benchmark with its
            history per metric, intervals, change points, baseline and peak memory; alerts; any two commits compared; memory.
            Reads the database and writes nothing to it. Exit codes: 0 written, 2 usage or input error.
            """)
        {
            database, output, branch, machine, metric, repo, threshold, config, title, commitUrl, verbose,
        };
        command.SetAction(p => CommandErrors.Run(context, () =>
        {
            DashboardWorkflow.Run(context.Host, new DashboardRequest(p.GetValue(database)!, p.GetValue(output)!, p.GetValue(branch), p.GetValue(machine), p.GetValue(repo),
                p.GetValue(metric), p.GetValue(threshold), p.GetValue(config), p.GetValue(title), p.GetValue(commitUrl), p.GetValue(verbose)));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
