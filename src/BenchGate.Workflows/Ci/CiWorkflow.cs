using System.Globalization;
using System.Text.Json;
using BenchGate.Dashboard;
using BenchGate.Detection;
using BenchGate.Git;
using BenchGate.Model;
using BenchGate.Processes;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Storage.Shared;
using BenchGate.Trend;
using BenchGate.Workflows.Compare;
using BenchGate.Workflows.Configuration;
using BenchGate.Workflows.Dashboard;
using BenchGate.Workflows.Detect;
using BenchGate.Workflows.Run;
using BenchGate.Workflows.Trend;

namespace BenchGate.Workflows.Ci;

/// <summary>What 'ci pr' was asked.</summary>
public sealed record CiPullRequest(
    string Bench, string Database, string BaselineDb, int Runs, double Timeout, string? BuildCmd, string? BaseBench, string? BaseSha, string? Repo, int? Pr,
    double Threshold, string? Config, string Output, string JsonOutput, bool NoComment, IReadOnlyList<string> Args, string? DashboardUrl = null,
    string? Matrix = null, string? Backend = null);

/// <summary>What 'ci push' was asked.</summary>
public sealed record CiPush(string Bench, string Database, string BaselineDb, int Runs, double Timeout, string? BaselineName, double Threshold, string? Config, IReadOnlyList<string> Args,
    string? Dashboard = null, string? Backend = null);

/// <summary>
/// The work of 'ci pr' and 'ci push', composed of the run, detect, baseline and trend workflows (called directly, with
/// typed requests: a renamed flag cannot break CI at run time), so that CI behaves as a maintainer following the user
/// guide by hand.
/// </summary>
public static class CiWorkflow
{
    public static GateOutcome PullRequest(WorkflowHost host, CiPullRequest req)
    {
        var (config, plan) = CiConfigurations.ForPullRequest(host, req);
        var invocations = CiConfigurations.Invocations(host, config, plan, req.Args);
        var hasBaseline = HasResults(req.BaselineDb);
        var timeout = TimeSpan.FromSeconds(req.Timeout);
        if (invocations.Count == 0)
        {
            var none = "## Performance\n\nNo benchmark configuration runs for this pull request.\n\n" + plan!.Markdown(config!, req.Backend);
            File.WriteAllText(req.Output, none);
            host.Out.WriteLine($"no configuration to run: {req.Output} says so");
            PullRequestComment.Post(host, req, none);
            return GateOutcome.Pass;
        }

        if (!hasBaseline && req.BuildCmd is not null && req.BaseBench is not null)
        {
            var baseSha = req.BaseSha ?? PullRequestComment.Event(host, "pull_request", "base", "sha");
            host.Out.WriteLine($"no baseline in {ResultStores.Describe(req.BaselineDb)}: building the base{(baseSha is null ? "" : " " + baseSha)} and running it interleaved with the head");
            Build(host, req.BuildCmd, baseSha);
            foreach (var args in invocations)
            {
                RunWorkflow.Run(host, new RunRequest(req.Bench, req.Database, null, timeout, null, null, null, UntilConfident: false, MaxRuns: req.Runs,
                    Baseline: req.BaselineDb, BaselineCommit: null, Interleave: req.BaseBench, args));
            }

            hasBaseline = true;
        }
        else
        {
            foreach (var args in invocations)
            {
                for (var i = 0; i < req.Runs; i++)
                {
                    RunOnce(host, req.Bench, req.Database, timeout, args);
                }
            }
        }

        string body;
        GateOutcome gate;
        if (!hasBaseline)
        {
            body = $"## Performance\n\nNo baseline yet: `{ResultStores.Describe(req.BaselineDb)}` holds no results (the first push to master stores one), and no `--build-cmd` was given to build the base. The head's results are stored in `{ResultStores.Describe(req.Database)}`.\n";
            File.WriteAllText(req.Output, body);
            host.Out.WriteLine($"no baseline in {ResultStores.Describe(req.BaselineDb)}: nothing to compare with; {req.Output} says so");
            gate = GateOutcome.Pass;
        }
        else
        {
            var (baselineName, baselineCommit) = BaselineSelection(host, req.BaselineDb);
            gate = DetectWorkflow.Run(host, new DetectRequest(req.BaselineDb, req.Database, BaselineCommit: baselineCommit, BaselineName: baselineName, Threshold: req.Threshold,
                Output: req.Output, JsonOutput: req.JsonOutput, Config: req.Config, Matrix: req.Matrix, ExtraOverrides: plan?.Overrides(config!, req.Args), ThresholdCap: plan?.Threshold)).Gate;
            body = File.ReadAllText(req.Output) + (plan is null ? "" : "\n" + plan.Markdown(config!, req.Backend)) + History(host, req);
        }

        PullRequestComment.Post(host, req, body);
        return gate;
    }

    public static GateOutcome Push(WorkflowHost host, CiPush req)
    {
        var config = req.Config is null ? null : DetectionConfig.Load(req.Config);
        var plan = config is { Matrix.Count: > 0 } ? BenchmarkPlan.ForPush(config, req.Backend) : null;
        var invocations = CiConfigurations.Invocations(host, config, plan, req.Args);
        if (invocations.Count == 0)
        {
            host.Out.WriteLine($"no configuration of {req.Config}'s matrix is for backend {req.Backend ?? "(none given)"}: nothing to run or store");
            return GateOutcome.Pass;
        }

        foreach (var args in invocations)
        {
            for (var i = 0; i < req.Runs; i++)
            {
                RunOnce(host, req.Bench, req.Database, TimeSpan.FromSeconds(req.Timeout), args);
            }
        }

        // Detect records into the pushed runs' database, so whether the baseline database holds results stays as it was.
        var hadBaseline = HasResults(req.BaselineDb);
        if (hadBaseline)
        {
            // Records the pushed runs in performance_history and any regression in regression_alerts; a push is not gated.
            var (baselineName, baselineCommit) = BaselineSelection(host, req.BaselineDb);
            try
            {
                var detect = DetectWorkflow.Run(host, new DetectRequest(req.BaselineDb, req.Database, BaselineCommit: baselineCommit, BaselineName: baselineName,
                    Threshold: req.Threshold, Config: req.Config, ExtraOverrides: plan?.Overrides(config!, req.Args)));
                host.Out.WriteLine(detect.Gate == GateOutcome.Regression ? "note: this push regressed against the previous baseline (see regression_alerts); it becomes the baseline all the same" : "compared with the previous baseline");
            }
            catch (Exception e) when (e is BenchGateException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                // Nothing in common with the previous baseline (llama-bench changed a default, say), or a report that could not
                // be written: the push is not gated, and it still becomes the baseline.
                host.Error.WriteLine($"warning: not compared with the previous baseline: {e.Message}");
            }
        }

        var sha = host.Variable("GITHUB_SHA");
        var branch = host.Variable("GITHUB_REF_NAME") ?? "master";
        var name = req.BaselineName ?? $"{branch}-{(sha is { Length: >= 9 } ? sha[..9] : DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture))}";
        var existing = hadBaseline ? BaselineNames(req.BaselineDb) : [];
        for (var n = 2; existing.Contains(name); n++)
        {
            name = $"{req.BaselineName ?? name.Split('~')[0]}~{n}";
        }

        using (var store = ResultStores.Open(req.BaselineDb, create: true))
        {
            // The machine the runs were stored under, GPUs and driver included, so that trend and the dashboard keep them apart.
            var saved = new BaselineStore(store).Save(name, sha, req.Database, branch, RunWorkflow.DefaultMachine(host), null);
            host.Out.WriteLine(BaselineText.Saved(saved));
        }

        // The baseline database keeps every push's runs: its history in commit order, with the change points it shows.
        // A push is not gated: the history's analysis reports, and its failure (a history git cannot order) only warns.
        var repo = GitCommitGraph.TryOpen(Directory.GetCurrentDirectory()) is null ? null : ".";
        try
        {
            var trend = TrendWorkflow.Run(host, new TrendHistoryRequest(req.BaselineDb, branch, null, new TrendFilter(), ["avg_ts"], repo, req.Threshold,
                req.Config, "trend-report.md", "trend-report.json", Record: true, Full: false));
            if (trend.Gate == GateOutcome.Regression)
            {
                host.Out.WriteLine("note: the history of the baseline branch has a new regression change point (see trend-report.md and regression_alerts); a push is not gated");
            }
        }
        catch (Exception e) when (e is BenchGateException or System.Data.Common.DbException or IOException)
        {
            host.Error.WriteLine($"warning: the history of {ResultStores.Describe(req.BaselineDb)} was not analysed: {e.Message}");
        }

        if (req.Dashboard is not null)
        {
            try
            {
                DashboardWorkflow.Run(host, new DashboardRequest(req.BaselineDb, req.Dashboard, Branch: branch, Repo: repo, Threshold: req.Threshold, Config: req.Config));
            }
            catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
            {
                // The baseline is stored: a site that could not be written must not fail the push.
                host.Error.WriteLine($"warning: the dashboard was not written: {e.Message}");
            }
        }

        return GateOutcome.Pass;
    }

    private static void RunOnce(WorkflowHost host, string bench, string database, TimeSpan timeout, IReadOnlyList<string> args) =>
        RunWorkflow.Run(host, new RunRequest(bench, database, null, timeout, null, null, null, UntilConfident: false, MaxRuns: 5, null, null, null, args));

    /// <summary>For the comment: the recent baseline history of each benchmark detect found regressed or possibly regressed.</summary>
    private static string History(WorkflowHost host, CiPullRequest req)
    {
        var regressed = new HashSet<string>(StringComparer.Ordinal);
        var current = new Dictionary<(string, string), double>();
        using (var json = JsonDocument.Parse(File.ReadAllText(req.JsonOutput)))
        {
            foreach (var c in json.RootElement.GetProperty("comparisons").EnumerateArray())
            {
                var warn = c.GetProperty("verdict").GetString() == "regression" || (c.TryGetProperty("reason", out var r) && r.GetString() == "possible_regression");
                if (warn && c.GetProperty("metric").GetString() == "avg_ts")
                {
                    var key = c.GetProperty("key_hash").GetString()!;
                    regressed.Add(key);
                    current[(key, "avg_ts")] = c.GetProperty("current_value").GetDouble();
                }
            }
        }

        if (regressed.Count == 0)
        {
            return "";
        }

        try
        {
            using var store = ResultStores.Open(req.BaselineDb, create: false);
            var trends = new TrendStore(store);
            var config = req.Config is null ? new DetectionConfig() : DetectionConfig.Load(req.Config);
            // Streamed: the history may hold millions of results, of which only the regressed benchmarks' points are kept.
            var branches = new Dictionary<(BenchmarkKey Key, string? Machine), string?>();
            var runs = new BranchRecorder(trends.Stream(null, null), regressed, branches);
            var request = new TrendRequest(runs, null, "stored order", null, new TrendFilter(KeyHashes: regressed), [Metric.TokensPerSecond],
                config.ToThresholds(config.Threshold ?? req.Threshold));
            var report = TrendAnalysis.Run(request, trends.States(), trends.ChangePoints(), DateTimeOffset.UtcNow).Report;
            return "\n" + TrendHistoryText.Render(report, current)
                + (req.DashboardUrl is null ? "" : DashboardLinks.Markdown(req.DashboardUrl, report, (key, machine) => branches.GetValueOrDefault((key, machine))));
        }
        catch (Exception e) when (e is BenchGateException or System.Data.Common.DbException)
        {
            // The verdict stands without its history.
            host.Error.WriteLine($"warning: no history from {ResultStores.Describe(req.BaselineDb)}: {e.Message}");
            return "";
        }
    }

    /// <summary>detect's baseline: the active saved baseline when there is one, else the newest build in the database.</summary>
    private static (string? Name, string? Commit) BaselineSelection(WorkflowHost host, string baselineDb)
    {
        using (var store = ResultStores.Open(baselineDb, create: false))
        {
            // This machine's active baseline (its GPUs and driver in its name); else the newest active one, so that a runner
            // renamed by a new driver does not keep being compared with the baseline its old name left active.
            var active = new BaselineStore(store).List().Where(b => b.IsActive).OrderByDescending(b => b.CreatedAt, StringComparer.Ordinal).ThenByDescending(b => b.Id).ToList();
            var machine = RunWorkflow.DefaultMachine(host);
            if ((active.FirstOrDefault(b => b.Machine == machine) ?? active.FirstOrDefault()) is { } chosen)
            {
                return (chosen.Name, null);
            }
        }

        var newest = CompareInputs.OpenLlamaBench(baselineDb).Commits().OrderByDescending(c => c.NewestTestTime, StringComparer.Ordinal).First();
        return (null, newest.Commit);
    }

    private static HashSet<string> BaselineNames(string db)
    {
        using var store = ResultStores.Open(db, create: false);
        return [.. new BaselineStore(store).List().Select(b => b.Name)];
    }

    private static bool HasResults(string db)
    {
        if (!StoreLocation.Of(db).IsDatabase)
        {
            return false;
        }

        try
        {
            return CompareInputs.OpenLlamaBench(db).Commits().Count > 0;
        }
        catch (InputException)
        {
            return false;
        }
    }

    private static void Build(WorkflowHost host, string command, string? baseSha)
    {
        // The build's own output goes to the job log as it comes; a build has no time limit here (the CI job has one).
        var r = ExternalProcess.Run("sh", ["-c", command], Timeout.InfiniteTimeSpan, environment: new Dictionary<string, string> { ["BASE_SHA"] = baseSha ?? "" }, capture: false);
        if (!r.Succeeded)
        {
            throw new ExternalToolException(r.NotFound ? "cannot run sh for --build-cmd" : $"--build-cmd failed with exit code {r.ExitCode}: {command}");
        }

        host.Out.WriteLine("built the base");
    }
}
