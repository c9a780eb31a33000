using System.Globalization;
using BenchGate.Dashboard;
using BenchGate.Site;
using BenchGate.Storage;
using BenchGate.Storage.Shared;
using BenchGate.Trend;
using BenchGate.Workflows.Configuration;
using BenchGate.Workflows.Trend;

namespace BenchGate.Workflows.Dashboard;

/// <summary>What dashboard was asked: the database, the site's folder, which runs, how to order commits, thresholds and links.</summary>
public sealed record DashboardRequest(string Database, string Output, string? Branch = null, string? Machine = null, string? Repo = null,
    IReadOnlyList<string>? Metrics = null, double Threshold = 5, string? Config = null, string? Title = null, string? CommitUrl = null, bool Verbose = false);

/// <summary>The site as built and the files written.</summary>
public sealed record DashboardOutcome(DashboardSite Site, SiteFiles Files);

/// <summary>
/// dashboard's work: read the history, alerts, memory and baselines (writing nothing to the database), analyse the history
/// as trend does, and write the static site whole.
/// </summary>
public static class DashboardWorkflow
{
    public static DashboardOutcome Run(WorkflowHost host, DashboardRequest req, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var phases = new PhaseLog(host.Error, req.Verbose);
        var commitUrl = req.CommitUrl ?? (host.Variable("GITHUB_SERVER_URL") is { } server && host.Variable("GITHUB_REPOSITORY") is { } repo ? $"{server}/{repo}/commit/{{commit}}" : null);
        if (commitUrl is not null && !commitUrl.Contains("{commit}", StringComparison.Ordinal))
        {
            throw new InputException($"--commit-url: '{commitUrl}' has no {{commit}} where the commit's hash goes");
        }

        var metrics = TrendWorkflow.Metrics(req.Metrics ?? ["avg_ts", "avg_ns"])
            ?? throw new InputException($"--metric: unknown metric in '{string.Join(", ", req.Metrics ?? [])}'; use avg_ts, avg_ns, model_size or all");
        var config = req.Config is null ? new DetectionConfig() : DetectionConfig.Load(req.Config);
        var thresholds = config.ToThresholds(config.Threshold ?? req.Threshold);
        var histories = new BranchHistories(req.Repo, req.Branch);
        var source = ResultStores.Describe(req.Database);
        DashboardInput input;
        using (var store = ResultStores.Open(req.Database, create: false))
        {
            var trends = new TrendStore(store);
            if (!trends.HasRunArchive() && trends.HasLlamaBenchTable())
            {
                throw new InputException($"{source}: llama-bench's own database, not BenchGate's (no benchgate_runs): store it first with benchgate ingest {req.Database} -d results.db; nothing was written");
            }

            var memory = new MemoryHistory(store).All();
            var peaks = new MemoryPeaks(memory);
            var (report, commits) = Analyse(trends, req, peaks, histories, metrics, thresholds, config.Alpha ?? 0.01, at);
            phases.Mark($"read the runs and analysed {report.Series.Count} series");
            var alerts = new AlertLog(store).List(null).Select(a => new DashboardAlert(a.Id, a.Status, a.Benchmark, a.KeyHash, a.Metric, a.BaselineCommit, a.CurrentCommit,
                a.ChangePercent, a.CiLowPercent, a.CiHighPercent, a.CreatedAt, a.Notes)).ToList();
            var baseline = new BaselineStore(store).List().LastOrDefault(b => b.IsActive && b.CommitSha is not null
                && (req.Branch is null || b.Branch is null || b.Branch == req.Branch) && (req.Machine is null || b.Machine is null || b.Machine == req.Machine));
            input = new DashboardInput(report, peaks.ByBenchmark(), commits, alerts, memory, baseline is null ? null : new DashboardBaseline(baseline.Name, baseline.CommitSha!));
        }

        phases.Mark("read alerts, memory and baselines");
        // The site may be public (GitHub Pages): it names the database by its file name, never by its path or server.
        var shown = StoreLocation.Of(req.Database).IsPostgres ? "a PostgreSQL database" : Path.GetFileName(req.Database);
        var site = DashboardBuilder.Build(input, req.Title ?? "llama.cpp performance", shown, commitUrl, at);
        SiteFiles files;
        try
        {
            files = SiteWriter.Write(site, req.Output);
            phases.Mark($"wrote {files.Files} files");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot write the site: {e.Message}", input: req.Output);
        }

        host.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dashboard: {site.Benchmarks.Count} benchmarks over {site.Commits.Count} commits, {site.Alerts.Count(a => a.Status == "open")} open alerts → {Path.Combine(req.Output, "index.html")} ({files.Pages} pages, {files.Bytes / 1048576.0:0.0} MB)"));
        return new DashboardOutcome(site, files);
    }

    /// <summary>
    /// trend's analysis once per branch (master's history and a release branch's are separate series, as trend --branch
    /// keeps them), each in its own commit order, from the stored states and change points so the charts carry the
    /// alerts' ids and statuses. Nothing is saved back. Returns the report and every commit in order. The runs are read
    /// once per branch, one at a time, into points: a long history is never held whole.
    /// </summary>
    private static (TrendReport Report, IReadOnlyList<string> Commits) Analyse(TrendStore trends, DashboardRequest req, MemoryPeaks peaks, BranchHistories histories,
        IReadOnlyList<Detection.Metric> metrics, Detection.Thresholds thresholds, double alpha, DateTimeOffset at)
    {
        var branches = trends.Branches(req.Branch, req.Machine);
        if (branches.Count == 0)
        {
            return (new TrendReport(at, thresholds.DefaultPercent, alpha, histories.Description, []), []);
        }

        var states = trends.States();
        var stored = trends.ChangePoints();
        var series = new List<SeriesTrend>();
        var commits = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var branch in branches)
        {
            var runs = new OneBranch(trends.StreamBranch(branch, req.Machine), peaks);
            var outcome = TrendAnalysis.Run(new TrendRequest(runs, histories.Of(branch), histories.Description, branch, new TrendFilter(), metrics, thresholds, alpha),
                states, stored, at);
            series.AddRange(outcome.Report.Series);
            commits.AddRange(outcome.Commits.Where(seen.Add));
        }

        return (new TrendReport(at, thresholds.DefaultPercent, alpha, histories.Description, series), commits);
    }

    /// <summary>One branch's runs, each also handed to the memory peaks.</summary>
    private sealed class OneBranch(ITrendRuns runs, MemoryPeaks peaks) : ITrendRuns
    {
        public void Read(Action<TrendRun> run) => runs.Read(r =>
        {
            peaks.Add(r);
            run(r);
        });
    }

    /// <summary>Each branch's first-parent history in --repo (the runs' order for a branch the clone does not have).</summary>
    private sealed class BranchHistories(string? repo, string? branch)
    {
        private readonly Dictionary<string, IReadOnlyList<string>?> _known = new(StringComparer.Ordinal);
        private readonly (IReadOnlyList<string>? History, string Description)? _given = repo is not null && branch is not null ? TrendWorkflow.History(repo, branch) : null;

        public string Description => _given?.Description ?? (repo is null ? "the order the runs were stored" : $"each branch's first-parent history in {repo}");

        public IReadOnlyList<string>? Of(string? runsBranch)
        {
            if (repo is null || _given is not null)
            {
                return _given?.History;
            }

            var name = runsBranch ?? "";
            if (!_known.TryGetValue(name, out var history))
            {
                try
                {
                    history = TrendWorkflow.History(repo, runsBranch).History;
                }
                catch (InputException)
                {
                    history = null;
                }

                _known[name] = history;
            }

            return history;
        }
    }
}
