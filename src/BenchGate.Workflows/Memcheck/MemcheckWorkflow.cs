using BenchGate.Memory;
using BenchGate.Processes;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Workflows.Configuration;

namespace BenchGate.Workflows.Memcheck;

/// <summary>What memcheck was asked: the logs to read or the command to run and sample, thresholds, where to store.</summary>
public sealed record MemcheckRequest(
    IReadOnlyList<string> BenchmarkOutputs, IReadOnlyList<string> TestLogs, string Database, bool Record, string? Commit, string Report, string? JsonOutput,
    double? LeakMb, double? ExcessiveGb, string? Config, bool Run, int Repeat, TimeSpan Interval, TimeSpan Timeout, string? Name, string? BaselineCommit,
    double Threshold, IReadOnlyList<string> Command);

/// <summary>memcheck's work: read the logs, run and sample the command, judge, store, report.</summary>
public static class MemcheckWorkflow
{
    public static GateOutcome Run(WorkflowHost host, MemcheckRequest req)
    {
        var config = req.Config is null ? new DetectionConfig() : DetectionConfig.Load(req.Config);
        var thresholds = new MemoryThresholds(req.LeakMb ?? config.Memory.LeakThresholdMb ?? 1.0, req.ExcessiveGb ?? config.Memory.ExcessiveThresholdGb ?? 16.0);
        if (req.Run != (req.Command.Count > 0))
        {
            throw new InputException(req.Run ? "--run needs the command to measure after --, e.g. benchgate memcheck --run -- ./llama-bench -m model.gguf" : "a command was given without --run");
        }

        if (!req.Run && req.BenchmarkOutputs.Count + req.TestLogs.Count == 0)
        {
            throw new InputException("nothing to check: give --benchmark-output, --test-log or --run -- <command>");
        }

        var findings = new List<MemoryFinding>();
        var profiles = new List<LlamaMemoryProfile>();
        foreach (var path in req.BenchmarkOutputs)
        {
            var lines = Lines(path).ToList();
            var profile = LlamaMemoryLog.Parse(lines);
            if (profile.ModelBuffers.Count == 0 && profile.Contexts.Count == 0 && profile.Statuses.Count == 0)
            {
                // A log with no memory figure checks nothing: passing it would be a green gate on nothing.
                var failure = lines.LastOrDefault(l => l.Contains("error:", StringComparison.OrdinalIgnoreCase) || l.Contains("failed to", StringComparison.OrdinalIgnoreCase));
                throw new InputException(failure is not null
                    ? $"llama-bench failed ({failure.Trim()}): the log holds no memory figure to check"
                    : "holds no memory figure of llama.cpp (is it llama-bench's stderr, run with -v?)", input: path);
            }

            profiles.Add(profile);
            findings.AddRange(LlamaMemoryLog.Findings(path, profile, thresholds));
        }

        foreach (var path in req.TestLogs)
        {
            var found = LeakLogParser.Parse(path, Lines(path), thresholds);
            findings.AddRange(found.Count > 0 ? found : [new MemoryFinding(path, null, "log", MemoryFindingKind.Ok, null, null, null, null, null, null, null, "no sanitizer or Valgrind leak report in this log")]);
        }

        var regressions = new List<MemoryRegression>();
        var peaks = new List<double>();
        var gpuPeaks = new List<double>();
        var gpuProbe = GpuProbe.FromEnvironment(host.Environment);
        var source = req.Name ?? string.Join(' ', req.Command);
        var runIds = new List<string>();
        for (var i = 0; i < (req.Run ? req.Repeat : 0); i++)
        {
            var sampled = ProcessMemorySampler.Run(req.Command, req.Interval, req.Timeout, null, gpuProbe);
            var runId = $"memcheck-{Guid.NewGuid():N}"[..21];
            runIds.Add(runId);
            if (sampled.TimedOut)
            {
                host.Error.WriteLine($"warning: '{source}' was killed after {req.Timeout.TotalSeconds:0} s");
            }
            else if (sampled.ExitCode != 0)
            {
                host.Error.WriteLine($"warning: '{source}' exited with code {sampled.ExitCode}{(sampled.Stderr.Length > 0 ? ": " + sampled.Stderr.Trim().Split('\n')[^1] : "")}");
            }

            peaks.Add(sampled.PeakRssBytes / MemoryFinding.BytesPerMb);
            var trend = RssTrend.Analyse(sampled.Rss);
            var runFindings = trend is null
                ? [new MemoryFinding(source, null, "rss", MemoryFindingKind.Ok, null, null, sampled.PeakRssBytes / MemoryFinding.BytesPerMb, null, null, null, null, $"ran too briefly to sample a trend ({sampled.Rss.Count} samples)")]
                : RssTrend.Findings(source, "rss", trend with { PeakMb = Math.Max(trend.PeakMb, sampled.PeakRssBytes / MemoryFinding.BytesPerMb) }, thresholds);
            if (sampled.Gpu.Count > 0)
            {
                // Sampled every 500 ms: a short run has its peak but too few samples for a trend, as for RSS above.
                var gpuPeak = sampled.Gpu.Max(g => g.Bytes) / MemoryFinding.BytesPerMb;
                gpuPeaks.Add(gpuPeak);
                runFindings.AddRange(RssTrend.Analyse(sampled.Gpu) is { } gpu
                    ? RssTrend.Findings(source, "gpu", gpu with { PeakMb = Math.Max(gpu.PeakMb, gpuPeak) }, thresholds)
                    : [new MemoryFinding(source, null, "gpu", MemoryFindingKind.Ok, null, null, gpuPeak, null, null, null, null, $"ran too briefly to sample a GPU memory trend ({sampled.Gpu.Count} samples)")]);
            }

            findings.AddRange(runFindings.Select(f => f with { TestName = req.Repeat > 1 ? $"run {i + 1}" : f.TestName }));
        }

        using var store = req.Record ? ResultStores.Open(req.Database, create: true) : null;
        var log = store is null ? null : new MemoryLog(store);
        if (req.Run && req.BaselineCommit is not null)
        {
            var baseline = log?.Peaks(source, req.BaselineCommit) ?? [];
            if (baseline.Count == 0)
            {
                host.Error.WriteLine($"note: no peak memory of '{source}' at commit {req.BaselineCommit} in {Storage.ResultStores.Describe(req.Database)}: nothing to compare with");
            }
            else
            {
                regressions.Add(PeakMemoryComparison.Judge(source, PeakMemoryComparison.PeakRss, baseline, peaks, req.Threshold, 0.01));
            }

            // Device memory, where a GPU tool sampled it on both sides, is compared the same way.
            if (gpuPeaks.Count > 0 && log?.Peaks(source, req.BaselineCommit, "gpu") is { Count: > 0 } baselineGpu)
            {
                regressions.Add(PeakMemoryComparison.Judge(source + " (GPU)", PeakMemoryComparison.PeakGpu, baselineGpu, gpuPeaks, req.Threshold, 0.01));
            }
        }

        var report = new MemoryCheckReport(DateTimeOffset.UtcNow, req.Commit, thresholds, findings, profiles, regressions);
        File.WriteAllText(req.Report, MemoryMarkdown.Render(report));
        if (req.JsonOutput is not null)
        {
            using var file = File.Create(req.JsonOutput);
            MemoryJson.Write(report, file);
        }

        log?.Record(findings, req.Commit, runIds.Count == 1 ? runIds[0] : null, report.Generated);
        host.Out.WriteLine($"{Words.Count(report.Findings.Select(f => f.Source).Distinct().Count(), "source")} checked: {Words.Count(report.Leaks.Count(), "leak")}, {report.Excessive.Count()} excessive, {report.Growth.Count()} buffer growth{string.Concat(regressions.Select(r => $", peak {(r.Metric == PeakMemoryComparison.PeakGpu ? "GPU memory" : "memory")} {r.Verdict.ToString().ToLowerInvariant()} ({r.Estimate.ChangePercent:+0.0;-0.0}%)"))}");
        foreach (var f in report.Leaks.Concat(report.Excessive).Concat(report.Growth))
        {
            host.Out.WriteLine($"  {f.Kind.ToString().ToLowerInvariant()}: {(f.TestName is null ? f.Source : $"{f.TestName} ({f.Source})")}: {f.Details}");
        }

        host.Out.WriteLine($"report: {req.Report}{(req.JsonOutput is null ? "" : ", " + req.JsonOutput)}{(log is null ? "" : $"; recorded in memory_leak_logs of {Storage.ResultStores.Describe(req.Database)}")}");
        return report.Failed ? GateOutcome.Regression : GateOutcome.Pass;
    }

    private static List<string> Lines(string path) =>
        File.Exists(path) ? [.. File.ReadLines(path)] : throw new InputException("no such file", input: path);
}
