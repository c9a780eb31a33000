using System.CommandLine;
using System.Globalization;
using BenchGate.Cli.Rendering;
using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;

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
        var command = new Command("detect", """
            Compare current results with a baseline and report regressions (exit 1), with confidence intervals,
            noise from the runs and from performance_history, and false discoveries controlled. Exit codes: 0 no
            regression, 1 regression, 2 usage or input error, 3 inconclusive (with --fail-on-inconclusive).
            """)
        {
            baseline, current, baselineCommit, baselineName, currentCommit, threshold, output, jsonOutput, flagFile, config, failOnInconclusive, noRecord, branch, machine, paired,
        };
        command.SetAction(p => CommandErrors.Run(context, () => Execute(context, new Request(
            p.GetValue(baseline)!, p.GetValue(current)!, p.GetValue(baselineCommit), p.GetValue(baselineName), p.GetValue(currentCommit), p.GetValue(threshold), p.GetValue(output)!,
            p.GetValue(jsonOutput), p.GetValue(flagFile), p.GetValue(config), p.GetValue(failOnInconclusive), !p.GetValue(noRecord), p.GetValue(branch), p.GetValue(machine), p.GetValue(paired)))));
        return command;
    }

    private sealed record Request(string Baseline, string Current, string? BaselineCommit, string? BaselineName, string? CurrentCommit, double Threshold, string Output,
        string? JsonOutput, string? FlagFile, string? Config, bool FailOnInconclusive, bool Record, string? Branch, string? Machine, bool Paired);

    private static int Execute(CliContext context, Request req)
    {
        if (!(req.Threshold > 0 && req.Threshold < 100))
        {
            context.Error.WriteLine($"error: --threshold must be a percentage between 0 and 100, got {req.Threshold.ToString(CultureInfo.InvariantCulture)}");
            return ExitCodes.InputError;
        }

        var config = req.Config is null ? new DetectionConfig() : DetectionConfig.Load(req.Config);
        var threshold = config.Threshold ?? req.Threshold;
        var settings = new DetectionSettings(config.ToThresholds(threshold), config.Alpha ?? 0.01);
        // Migrate (and adopt rows llama-bench wrote into) the current database first, so both sides are read
        // with the run ids that performance_history records.
        var isDatabase = StoreLocation.Of(req.Current).IsDatabase;
        // A database is read for its history either way; --no-record only keeps detect from writing.
        using var store = isDatabase ? ResultStores.Open(req.Current, create: false) : null;
        if (store is not null && req.Record)
        {
            store.Migrate();
        }

        var detection = store is null ? null : StoredSides.DetectionStore(store);
        if (req.BaselineName is not null && req.BaselineCommit is not null)
        {
            context.Error.WriteLine("error: give --baseline-name or --baseline-commit, not both");
            return ExitCodes.InputError;
        }

        if (req.BaselineName is null && (req.BaselineCommit is null || req.CurrentCommit is null) && SameLocation(req.Baseline, req.Current))
        {
            context.Error.WriteLine($"error: --baseline and --current are the same database ({ResultStores.Describe(req.Current)}): give --baseline-commit and --current-commit to say which of its commits to compare");
            return ExitCodes.InputError;
        }

        // The two sides are separate files: read them at once (half of detect's time on large databases).
        var currentTask = Task.Run(() => StoredSides.Load(req.Current, req.CurrentCommit));
        var saved = req.BaselineName is null ? null : SavedBaselines.Find(req.Baseline, req.BaselineName);
        var baselineSide = StoredSides.Load(req.Baseline, saved is { RunIds.Count: 0 } ? saved.CommitSha : req.BaselineCommit);
        if (saved is not null)
        {
            baselineSide = saved.RunIds.Count > 0
                ? baselineSide with { Label = $"baseline '{saved.Name}'", Runs = [.. baselineSide.Runs.Where(r => saved.RunIds.Contains(r.RunId))] }
                : baselineSide with { Label = $"baseline '{saved.Name}' ({saved.CommitSha})" };
            if (baselineSide.Runs.Count == 0)
            {
                throw new InputException($"baseline '{saved.Name}' names runs that are not in the database", input: req.Baseline);
            }
        }
        var currentSide = currentTask.GetAwaiter().GetResult();
        var notes = new List<string>();
        if (saved is null && req.BaselineCommit is null)
        {
            (baselineSide, var note) = SideSelection.NewestCommit(baselineSide, "--baseline", "--baseline-commit");
            notes.AddIfNotNull(note);
        }

        if (req.CurrentCommit is null)
        {
            (currentSide, var note) = SideSelection.NewestCommit(currentSide, "--current", "--current-commit");
            notes.AddIfNotNull(note);
        }

        if (req.Paired)
        {
            try
            {
                (baselineSide, currentSide) = ComparisonSide.PairByOrder(baselineSide, currentSide);
            }
            catch (ArgumentException e)
            {
                context.Error.WriteLine($"error: --paired: {e.Message.Split(" (Parameter", 2)[0]}");
                return ExitCodes.InputError;
            }
        }

        foreach (var note in notes)
        {
            context.Out.WriteLine($"note: {note}");
        }

        var report = new Detector(settings, detection).Compare(baselineSide, currentSide, DateTimeOffset.UtcNow);
        var baseCommit = req.BaselineCommit ?? saved?.CommitSha ?? Single(baselineSide);
        var curCommit = req.CurrentCommit ?? Single(currentSide);
        if (detection is not null)
        {
            var known = detection.FalsePositives(baseCommit, curCommit);
            report = report with
            {
                Comparisons = [.. report.Comparisons.Select(c => known.Contains(c.Key.Hash) && c.Verdict == Verdict.Regression ? c with { KnownFalsePositive = true } : c)],
            };
        }

        // The JSON report of a large comparison is tens of MB: stream it to its file while the markdown renders.
        var json = req.JsonOutput is null ? Task.CompletedTask : Task.Run(() =>
        {
            using var file = ReportFiles.Create(req.JsonOutput);
            JsonReport.Write(report, file);
        });
        var markdown = MarkdownReport.Render(report);
        ReportFiles.Write(req.Output, markdown);
        json.GetAwaiter().GetResult();

        if (context.Environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            File.AppendAllText(summary, markdown + Environment.NewLine);
        }

        var flag = req.FlagFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(req.Output)) ?? ".", "regression-detected.flag");
        if (report.HasRegression)
        {
            ReportFiles.Write(flag, string.Join(Environment.NewLine, report.Comparisons.Where(c => c.Verdict == Verdict.Regression && !c.KnownFalsePositive)
                .Select(c => $"{c.Title} {c.Metric.Name} {ValueFormat.Change(c.Estimate.ChangePercent)}")) + Environment.NewLine);
        }
        else if (File.Exists(flag))
        {
            File.Delete(flag);
        }

        if (report.ComparedNothing)
        {
            context.Error.WriteLine($"error: nothing compared: no benchmark of {currentSide.Label} matches one of {baselineSide.Label}{(report.Mismatch is { Count: > 0 } m ? "; " + string.Join("; ", m) : "")}. The report says so; this is not a pass.");
            return ExitCodes.InputError;
        }

        var alerts = req.Record ? detection?.Record(report, currentSide, baseCommit, curCommit, req.Branch, req.Machine) ?? [] : [];
        Summarise(context, report, req, alerts, req.Record && detection is not null);
        return report.HasRegression ? ExitCodes.Regression
            : req.FailOnInconclusive && report.HasInconclusive ? ExitCodes.Inconclusive
            : ExitCodes.Ok;
    }

    private static bool SameLocation(string a, string b) => StoreLocation.Of(a).SameAs(StoreLocation.Of(b));

    private static void AddIfNotNull(this List<string> list, string? item)
    {
        if (item is not null)
        {
            list.Add(item);
        }
    }

    private static string? Single(ComparisonSide side) =>
        side.Runs.Select(r => r.Commit).Distinct().ToList() is [var only] ? only : null;

    private static void Summarise(CliContext context, DetectionReport r, Request req, List<long> alerts, bool recorded)
    {
        var o = context.Out;
        var inconclusiveCount = r.Count(Verdict.Inconclusive);
        o.WriteLine($"{Words.Count(r.Benchmarks.Count, "benchmark")} compared ({r.BaselineLabel} → {r.CurrentLabel}): {Words.Count(r.Count(Verdict.Regression), "regression")}, {Words.Count(r.Count(Verdict.Improvement), "improvement")}, {r.Count(Verdict.Stable)} stable, {inconclusiveCount} inconclusive{(inconclusiveCount > 0 ? $" ({Words.Count(r.Warnings, "possible regression")}, {inconclusiveCount - r.Warnings} too noisy to tell)" : "")}");
        const int MaxInconclusiveLines = 6;
        var inconclusive = r.Comparisons.Where(c => c.IsWarning).ToList();
        foreach (var c in r.Comparisons.Where(c => c.Verdict == Verdict.Regression).Concat(inconclusive.Take(MaxInconclusiveLines)))
        {
            var note = c.KnownFalsePositive ? " (marked false positive: not failing)" : "";
            o.WriteLine($"  {(c.IsWarning ? "possible regression" : c.Verdict.ToString().ToLowerInvariant())}: {c.Title} {c.Metric.Name} {ValueFormat.Change(c.Estimate.ChangePercent)} [{ValueFormat.Interval(c.Estimate)}]{note}");
        }

        if (inconclusive.Count > MaxInconclusiveLines)
        {
            o.WriteLine($"  … and {inconclusive.Count - MaxInconclusiveLines} more possible regressions (in the report)");
        }

        if (r.Added.Count + r.Removed.Count > 0)
        {
            o.WriteLine($"  {r.Added.Count} benchmarks only in current, {r.Removed.Count} only in baseline (listed in the report)");
        }

        o.WriteLine($"report: {req.Output}{(req.JsonOutput is null ? "" : ", " + req.JsonOutput)}");
        o.WriteLine(recorded
            ? $"recorded the current runs in performance_history of {ResultStores.Describe(req.Current)}{(alerts.Count > 0 ? $"; alerts {string.Join(", ", alerts)} in regression_alerts" : "")}"
            : "not recorded: the current results are not a database (or --no-record)");
    }
}
