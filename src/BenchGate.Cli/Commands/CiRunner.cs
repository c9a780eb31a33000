using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchGate.Compare;
using BenchGate.GitHub;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Cli.Commands;

/// <summary>
/// The work of 'ci pr' and 'ci push', composed of benchgate's own commands (run, detect, baseline save) so that the
/// workflow behaves exactly as a maintainer following the user guide by hand.
/// </summary>
internal static class CiRunner
{
    // (History below reads the baseline database read-only: trend's state is recorded by ci push only.)
    public static int PullRequest(CliContext context, CiPullRequest req)
    {
        var hasBaseline = HasResults(req.BaselineDb);
        if (!hasBaseline && req.BuildCmd is not null && req.BaseBench is not null)
        {
            var baseSha = req.BaseSha ?? CiComment.Event(context, "pull_request", "base", "sha");
            context.Out.WriteLine($"no baseline in {ResultStores.Describe(req.BaselineDb)}: building the base{(baseSha is null ? "" : " " + baseSha)} and running it interleaved with the head");
            Build(context, req.BuildCmd, baseSha);
            Step(context, ["run", "--bench", req.Bench, "--interleave", req.BaseBench, "--max-runs", Num(req.Runs), "-d", req.Database, "--baseline-db", req.BaselineDb,
                "--timeout", Num(req.Timeout), "--", .. req.Args]);
            hasBaseline = true;
        }
        else
        {
            for (var i = 0; i < req.Runs; i++)
            {
                Step(context, ["run", "--bench", req.Bench, "-d", req.Database, "--timeout", Num(req.Timeout), "--", .. req.Args]);
            }
        }

        string body;
        int code;
        if (!hasBaseline)
        {
            body = $"## Performance\n\nNo baseline yet: `{ResultStores.Describe(req.BaselineDb)}` holds no results (the first push to master stores one), and no `--build-cmd` was given to build the base. The head's results are stored in `{ResultStores.Describe(req.Database)}`.\n";
            File.WriteAllText(req.Output, body);
            context.Out.WriteLine($"no baseline in {ResultStores.Describe(req.BaselineDb)}: nothing to compare with; {req.Output} says so");
            code = ExitCodes.Ok;
        }
        else
        {
            List<string> detect = ["detect", "--baseline", req.BaselineDb, "--current", req.Database, "--threshold", Num(req.Threshold), "--output", req.Output, "--json-output", req.JsonOutput];
            detect.AddRange(BaselineSelection(req.BaselineDb));
            if (req.Config is not null)
            {
                detect.AddRange(["--config", req.Config]);
            }

            code = Program.Run([.. detect], context);
            if (code is not (ExitCodes.Ok or ExitCodes.Regression or ExitCodes.Inconclusive))
            {
                return code;
            }

            body = File.ReadAllText(req.Output) + History(context, req);
        }

        CiComment.Post(context, req, body);
        return code;
    }

    public static int Push(CliContext context, CiPush req)
    {
        for (var i = 0; i < req.Runs; i++)
        {
            Step(context, ["run", "--bench", req.Bench, "-d", req.Database, "--timeout", Num(req.Timeout), "--", .. req.Args]);
        }

        if (HasResults(req.BaselineDb))
        {
            // Records the pushed runs in performance_history and any regression in regression_alerts; a push is not gated.
            var detect = Program.Run(["detect", "--baseline", req.BaselineDb, "--current", req.Database, .. BaselineSelection(req.BaselineDb)], context);
            context.Out.WriteLine(detect == ExitCodes.Regression ? "note: this push regressed against the previous baseline (see regression_alerts); it becomes the baseline all the same" : "compared with the previous baseline");
        }

        var sha = context.Environment("GITHUB_SHA");
        var branch = context.Environment("GITHUB_REF_NAME") is { Length: > 0 } b ? b : "master";
        var name = req.BaselineName ?? $"{branch}-{(sha is { Length: >= 9 } ? sha[..9] : DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture))}";
        var existing = HasResults(req.BaselineDb) ? BaselineNames(req.BaselineDb) : [];
        for (var n = 2; existing.Contains(name); n++)
        {
            name = $"{req.BaselineName ?? name.Split('~')[0]}~{n}";
        }

        List<string> save = ["baseline", "save", name, "--from", req.Database, "-d", req.BaselineDb, "--branch", branch, "--machine", context.Environment("RUNNER_NAME") is { Length: > 0 } m ? m : Environment.MachineName];
        if (sha is { Length: > 0 })
        {
            save.AddRange(["--commit", sha]);
        }

        var saved = Program.Run([.. save], context);
        if (saved != ExitCodes.Ok)
        {
            return saved;
        }

        // The baseline database keeps every push's runs: its history in commit order, with the change points it shows.
        // A push is not gated: the history's analysis reports, and its failure (a history git cannot order) only warns.
        var repo = Git.GitCommitGraph.TryOpen(Directory.GetCurrentDirectory()) is null ? null : ".";
        try
        {
            var trend = TrendCommand.Execute(context, new TrendCommand.Request(req.BaselineDb, branch, null, new Trend.TrendFilter(), ["avg_ts"], repo, req.Threshold,
                req.Config, "trend-report.md", "trend-report.json", Record: true, Full: false));
            if (trend == ExitCodes.Regression)
            {
                context.Out.WriteLine("note: the history of the baseline branch has a new regression change point (see trend-report.md and regression_alerts); a push is not gated");
            }
        }
        catch (Exception e) when (e is BenchGateException or System.Data.Common.DbException or IOException)
        {
            context.Error.WriteLine($"warning: the history of {ResultStores.Describe(req.BaselineDb)} was not analysed: {e.Message}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>For the comment: the recent baseline history of each benchmark detect found regressed or possibly regressed.</summary>
    private static string History(CliContext context, CiPullRequest req)
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
            var trends = new Storage.Shared.TrendStore(store);
            var config = req.Config is null ? new DetectionConfig() : DetectionConfig.Load(req.Config);
            var request = new Trend.TrendRequest(trends.Runs(null, null), null, "stored order", null, new Trend.TrendFilter(KeyHashes: regressed), [Detection.Metric.TokensPerSecond],
                config.ToThresholds(config.Threshold ?? req.Threshold));
            var report = Trend.TrendWorkflow.Run(request, trends.States(), trends.ChangePoints(), DateTimeOffset.UtcNow).Report;
            return "\n" + Reports.TrendHistoryText.Render(report, current);
        }
        catch (Exception e) when (e is BenchGateException or System.Data.Common.DbException)
        {
            // The verdict stands without its history.
            context.Error.WriteLine($"warning: no history from {ResultStores.Describe(req.BaselineDb)}: {e.Message}");
            return "";
        }
    }

    /// <summary>detect's baseline: the active saved baseline when there is one, else the newest build in the database.</summary>
    private static List<string> BaselineSelection(string baselineDb)
    {
        using (var store = ResultStores.Open(baselineDb, create: false))
        {
            if (new BaselineStore(store).List().FirstOrDefault(b => b.IsActive) is { } active)
            {
                return ["--baseline-name", active.Name];
            }
        }

        var newest = CompareInputs.OpenLlamaBench(baselineDb).Commits().OrderByDescending(c => c.NewestTestTime, StringComparer.Ordinal).First();
        return ["--baseline-commit", newest.Commit];
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

    private static void Step(CliContext context, string[] args)
    {
        var code = Program.Run(args, context);
        if (code != ExitCodes.Ok)
        {
            throw new ExternalToolException($"'benchgate {string.Join(' ', args.Take(3))} …' failed (exit {code}); see above");
        }
    }

    private static void Build(CliContext context, string command, string? baseSha)
    {
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        psi.Environment["BASE_SHA"] = baseSha ?? "";
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new ExternalToolException($"--build-cmd failed with exit code {p.ExitCode}: {command}");
        }

        context.Out.WriteLine("built the base");
    }

    private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
}
