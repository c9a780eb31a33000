using BenchGate.Detection;
using BenchGate.Git;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Storage.Shared;
using BenchGate.Trend;
using BenchGate.Workflows.Configuration;

namespace BenchGate.Workflows.Trend;

/// <summary>What trend was asked: the database, which runs and series, how to order commits, thresholds, what to store.</summary>
public sealed record TrendHistoryRequest(string Database, string? Branch, string? Machine, TrendFilter Filter, IReadOnlyList<string> Metrics, string? Repo, double Threshold,
    string? Config, string Output, string? JsonOutput, bool Record, bool Full);

/// <summary>trend's result: the report (written and, when asked, stored) and how the gate ended (a new regression change point).</summary>
public sealed record TrendWorkflowOutcome(TrendReport Report, GateOutcome Gate);

/// <summary>trend's work: read the runs, order them by git or storage, analyse from the stored state, save, write the reports.</summary>
public static class TrendWorkflow
{
    public static TrendWorkflowOutcome Run(WorkflowHost host, TrendHistoryRequest req)
    {
        var metrics = Metrics(req.Metrics);
        if (metrics is null)
        {
            throw new InputException($"--metric: unknown metric in '{string.Join(", ", req.Metrics)}'; use avg_ts, avg_ns, model_size or all");
        }

        var config = req.Config is null ? new DetectionConfig() : DetectionConfig.Load(req.Config);
        var thresholds = config.ToThresholds(config.Threshold ?? req.Threshold);
        var (history, order) = History(req.Repo, req.Branch);
        using var store = ResultStores.Open(req.Database, create: false);
        var trends = new TrendStore(store);
        if (!trends.HasRuns(req.Branch, req.Machine))
        {
            throw new InputException($"{ResultStores.Describe(req.Database)}: no runs{(req.Branch is null && req.Machine is null ? "" : $" of{(req.Branch is null ? "" : $" branch {req.Branch}")}{(req.Machine is null ? "" : $" machine {req.Machine}")}")} to analyse (ingest or run some first)");
        }

        var request = new TrendRequest(trends.Stream(req.Branch, req.Machine), history, order, req.Branch, req.Filter, metrics, thresholds, config.Alpha ?? 0.01, req.Full);
        var outcome = TrendAnalysis.Run(request, req.Full ? new Dictionary<string, TrendState>() : trends.States(), trends.ChangePoints(), DateTimeOffset.UtcNow);
        if (outcome.Report.Series.Count == 0)
        {
            throw new InputException($"no benchmark of {ResultStores.Describe(req.Database)} matches the filters{(history is null ? "" : " on the first-parent history of " + order)}");
        }

        var report = req.Record ? trends.Save(outcome.Report, outcome.Continues, outcome.States) : outcome.Report;
        ReportFiles.Write(req.Output, TrendMarkdown.Render(report));
        if (req.JsonOutput is not null)
        {
            using var file = ReportFiles.Create(req.JsonOutput);
            TrendJson.Write(report, file);
        }

        if (host.Variable("GITHUB_STEP_SUMMARY") is { } summary)
        {
            File.AppendAllText(summary, TrendMarkdown.Render(report) + Environment.NewLine);
        }

        host.Out.Write(TrendSummaryText.Render(report, [req.Output, .. req.JsonOutput is null ? Array.Empty<string>() : [req.JsonOutput]], req.Record ? ResultStores.Describe(req.Database) : null));
        return new TrendWorkflowOutcome(report, report.NewRegressions.Any() ? GateOutcome.Regression : GateOutcome.Pass);
    }

    internal static (IReadOnlyList<string>? History, string Description) History(string? repo, string? branch)
    {
        if (repo is null)
        {
            return (null, "the order the runs were stored");
        }

        var git = GitCommitGraph.TryOpen(repo) ?? throw new InputException($"{repo}: not a git repository (--repo)");
        var revision = branch ?? git.CurrentBranch() ?? "HEAD";
        var history = git.FirstParents(revision);
        return history.Count == 0
            ? throw new InputException($"{repo}: no commit '{revision}' (--branch)")
            : (history, $"first-parent history of {revision} in {repo}");
    }

    internal static List<Metric>? Metrics(IReadOnlyList<string> names)
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

}
