using System.Globalization;
using BenchGate.Compare;
using BenchGate.Detection;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Workflows.Configuration;

namespace BenchGate.Workflows.Detect;

/// <summary>What detect was asked (the spec's performance-regression-detector flags).</summary>
public sealed record DetectRequest(string Baseline, string Current, string? BaselineCommit = null, string? BaselineName = null, string? CurrentCommit = null,
    double Threshold = 5, string Output = "regression-report.md", string? JsonOutput = null, string? FlagFile = null, string? Config = null,
    bool FailOnInconclusive = false, bool Record = true, string? Branch = null, string? Machine = null, bool Paired = false, string? Matrix = null,
    IReadOnlyList<ThresholdOverride>? ExtraOverrides = null, double? ThresholdCap = null);

/// <summary>detect's result: the report (already written), the alerts it stored, and how the gate ended.</summary>
public sealed record DetectOutcome(DetectionReport Report, IReadOnlyList<long> Alerts, bool Recorded, GateOutcome Gate);

/// <summary>
/// detect's work: read both sides (files or databases, a saved baseline, one commit each), compare with the history's
/// noise, mark known false positives, write the report, the JSON, the step summary and the flag file, and record the
/// current runs and any regression.
/// </summary>
public static class DetectWorkflow
{
    public static DetectOutcome Run(WorkflowHost host, DetectRequest req)
    {
        if (!(req.Threshold > 0 && req.Threshold < 100))
        {
            throw new ConfigException($"--threshold must be a percentage between 0 and 100, got {req.Threshold.ToString(CultureInfo.InvariantCulture)}");
        }

        if (req.BaselineName is not null && req.BaselineCommit is not null)
        {
            throw new InputException("give --baseline-name or --baseline-commit, not both");
        }

        if (req.Matrix is not null)
        {
            CompareMatrix.ParseAxis(req.Matrix);
        }

        var config = req.Config is null ? new DetectionConfig() : DetectionConfig.Load(req.Config);
        var thresholds = config.ToThresholds(config.Threshold ?? req.Threshold);
        // ci's matrix: its configurations' own thresholds after the config's overrides, and a pull request's stricter cap.
        thresholds = thresholds with
        {
            DefaultPercent = Math.Min(thresholds.DefaultPercent, req.ThresholdCap ?? double.PositiveInfinity),
            Overrides = [.. thresholds.Overrides, .. req.ExtraOverrides ?? []],
            CapPercent = req.ThresholdCap,
        };
        var settings = new DetectionSettings(thresholds, config.Alpha ?? 0.01);
        // A database is read for its history either way; without Record detect writes nothing. Migrating first (which also
        // adopts rows llama-bench wrote) gives both sides the run ids performance_history records.
        var currentLocation = StoreLocation.Of(req.Current);
        using var store = currentLocation.IsDatabase ? currentLocation.Open(create: false) : null;
        if (store is not null && req.Record)
        {
            store.Migrate();
        }

        var detection = store is null ? null : StoredSides.DetectionStore(store);
        if (req.BaselineName is null && (req.BaselineCommit is null || req.CurrentCommit is null) && StoreLocation.Of(req.Baseline).SameAs(currentLocation))
        {
            throw new InputException($"--baseline and --current are the same database ({ResultStores.Describe(req.Current)}): give --baseline-commit and --current-commit to say which of its commits to compare");
        }

        var (baselineSide, currentSide, saved) = DetectSides.Read(host, req, store);
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

        report = report with { Memory = DetectAdditions.PeakMemory(host, req, store, baselineSide, currentSide, settings) };
        Write(host, req, report, DetectAdditions.Matrix(req, settings, baselineSide, currentSide, report));
        if (report.ComparedNothing)
        {
            throw new InputException($"nothing compared: no benchmark of {currentSide.Label} matches one of {baselineSide.Label}{(report.Mismatch is { Count: > 0 } m ? "; " + string.Join("; ", m) : "")}. The report says so; this is not a pass.");
        }

        var alerts = req.Record ? detection?.Record(report, currentSide, baseCommit, curCommit, req.Branch, req.Machine) ?? [] : [];
        var recorded = req.Record && detection is not null;
        host.Out.Write(DetectSummaryText.Render(report, [req.Output, .. req.JsonOutput is null ? Array.Empty<string>() : [req.JsonOutput]],
            recorded ? ResultStores.Describe(req.Current) : null, alerts));
        var gate = report.HasRegression ? GateOutcome.Regression
            : req.FailOnInconclusive && report.HasInconclusive ? GateOutcome.Inconclusive
            : GateOutcome.Pass;
        return new DetectOutcome(report, alerts, recorded, gate);
    }

    /// <summary>The markdown and JSON reports, the job summary, and the flag file (written on a regression, removed otherwise).</summary>
    private static void Write(WorkflowHost host, DetectRequest req, DetectionReport report, CompareMatrix? matrix)
    {
        // The JSON report of a large comparison is tens of MB: stream it to its file while the markdown renders.
        var json = req.JsonOutput is null ? Task.CompletedTask : Task.Run(() =>
        {
            using var file = ReportFiles.Create(req.JsonOutput);
            JsonReport.Write(report, file);
        });
        var markdown = MarkdownReport.Render(report) + (matrix is null ? "" : "\n" + CompareMatrixReport.Markdown(matrix));
        ReportFiles.Write(req.Output, markdown);
        json.GetAwaiter().GetResult();

        if (host.Variable("GITHUB_STEP_SUMMARY") is { } summary)
        {
            File.AppendAllText(summary, markdown + Environment.NewLine);
        }

        var flag = req.FlagFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(req.Output)) ?? ".", "regression-detected.flag");
        if (report.HasRegression)
        {
            ReportFiles.Write(flag, string.Join(Environment.NewLine, report.Comparisons.Where(c => c.Verdict == Verdict.Regression && !c.KnownFalsePositive)
                .Select(c => $"{c.Title} {c.Metric.Name} {ValueFormat.Change(c.Estimate.ChangePercent)}")
                .Concat(report.MemoryRegressions.Select(m => $"peak memory of {m.Source} {ValueFormat.Change(m.Estimate.ChangePercent)}"))) + Environment.NewLine);
        }
        else if (File.Exists(flag))
        {
            File.Delete(flag);
        }
    }

    private static string? Single(ComparisonSide side) =>
        side.Runs.Select(r => r.Commit).Distinct().ToList() is [var only] ? only : null;
}
