using System.CommandLine;
using BenchGate.Cli.Rendering;
using BenchGate.Detection;
using BenchGate.Git;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Storage.Shared;
using BenchGate.Trend;

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
        command.SetAction(p => CommandErrors.Run(context, () => Execute(context, new Request(
            p.GetValue(database)!, p.GetValue(branch), p.GetValue(machine), new TrendFilter(p.GetValue(model), p.GetValue(backend), p.GetValue(test)), p.GetValue(metric)!,
            p.GetValue(repo), p.GetValue(threshold), p.GetValue(config), p.GetValue(output)!, p.GetValue(jsonOutput), !p.GetValue(noRecord), p.GetValue(full)))));
        return command;
    }

    internal sealed record Request(string Database, string? Branch, string? Machine, TrendFilter Filter, string[] Metrics, string? Repo, double Threshold, string? Config,
        string Output, string? JsonOutput, bool Record, bool Full);

    internal static int Execute(CliContext context, Request req)
    {
        var metrics = Metrics(req.Metrics);
        if (metrics is null)
        {
            context.Error.WriteLine($"error: --metric: unknown metric in '{string.Join(", ", req.Metrics)}'; use avg_ts, avg_ns, model_size or all");
            return ExitCodes.InputError;
        }

        var config = req.Config is null ? new DetectionConfig() : DetectionConfig.Load(req.Config);
        var thresholds = config.ToThresholds(config.Threshold ?? req.Threshold);
        var (history, order) = History(req);
        using var store = ResultStores.Open(req.Database, create: false);
        var trends = new TrendStore(store);
        var runs = trends.Runs(req.Branch, req.Machine);
        if (runs.Count == 0)
        {
            context.Error.WriteLine($"error: {ResultStores.Describe(req.Database)}: no runs{(req.Branch is null && req.Machine is null ? "" : $" of{(req.Branch is null ? "" : $" branch {req.Branch}")}{(req.Machine is null ? "" : $" machine {req.Machine}")}")} to analyse (ingest or run some first)");
            return ExitCodes.InputError;
        }

        var request = new TrendRequest(runs, history, order, req.Branch, req.Filter, metrics, thresholds, config.Alpha ?? 0.01, req.Full);
        var outcome = TrendWorkflow.Run(request, req.Full ? new Dictionary<string, TrendState>() : trends.States(), trends.ChangePoints(), DateTimeOffset.UtcNow);
        if (outcome.Report.Series.Count == 0)
        {
            context.Error.WriteLine($"error: no benchmark of {ResultStores.Describe(req.Database)} matches the filters{(history is null ? "" : " on the first-parent history of " + order)}");
            return ExitCodes.InputError;
        }

        var report = req.Record ? trends.Save(outcome.Report, outcome.Continues, outcome.States) : outcome.Report;
        ReportFiles.Write(req.Output, TrendMarkdown.Render(report));
        if (req.JsonOutput is not null)
        {
            using var file = ReportFiles.Create(req.JsonOutput);
            TrendJson.Write(report, file);
        }

        if (context.Environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, TrendMarkdown.Render(report) + Environment.NewLine);
        }

        Summarise(context, report, req);
        return report.NewRegressions.Any() ? ExitCodes.Regression : ExitCodes.Ok;
    }

    private static (IReadOnlyList<string>? History, string Description) History(Request req)
    {
        if (req.Repo is null)
        {
            return (null, "the order the runs were stored");
        }

        var git = GitCommitGraph.TryOpen(req.Repo) ?? throw new InputException($"{req.Repo}: not a git repository (--repo)");
        var revision = req.Branch ?? git.CurrentBranch() ?? "HEAD";
        var history = git.FirstParents(revision);
        return history.Count == 0
            ? throw new InputException($"{req.Repo}: no commit '{revision}' (--branch)")
            : (history, $"first-parent history of {revision} in {req.Repo}");
    }

    private static List<Metric>? Metrics(string[] names)
    {
        var all = Metric.Defaults;
        var chosen = names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
        if (chosen.Contains("all"))
        {
            return [.. all];
        }

        var metrics = chosen.Select(n => all.FirstOrDefault(m => m.Name == n)).ToList();
        return metrics.Count == 0 || metrics.Any(m => m is null) ? null : [.. metrics.OfType<Metric>()];
    }

    private static void Summarise(CliContext context, TrendReport r, Request req)
    {
        var o = context.Out;
        var cps = r.Series.SelectMany(s => s.ChangePoints.Select(c => (s, c))).ToList();
        o.WriteLine($"{r.Series.Count} series ({r.Series.Sum(s => s.Series.Points.Count)} points, commits in {r.Order}): {cps.Count} change points past the threshold, {cps.Count(x => x.c.Cause == SuspectedCause.Machine)} put down to the machine");
        foreach (var (s, c) in cps.Where(x => x.c.NewAlert))
        {
            var cause = c.Cause == SuspectedCause.Machine ? " (suspected: the machine)" : "";
            o.WriteLine($"  new {c.Verdict.ToString().ToLowerInvariant()}: {s.Series.Title} on {s.Series.Machine} {s.Series.Metric.Name} {c.ChangePercent:+0.0;-0.0}% between {c.PreviousCommit} and {c.Commit}{cause}{(c.AlertId is { } id ? $"; alert {id}" : "")}");
        }

        o.WriteLine($"report: {req.Output}{(req.JsonOutput is null ? "" : ", " + req.JsonOutput)}");
        o.WriteLine(req.Record ? $"recorded the analysis in {ResultStores.Describe(req.Database)}" : "not recorded (--no-record)");
    }
}
