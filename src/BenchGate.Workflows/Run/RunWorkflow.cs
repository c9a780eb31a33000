using BenchGate.Detection;
using BenchGate.Git;
using BenchGate.Ingest;
using BenchGate.Memory;
using BenchGate.Processes;
using BenchGate.Reports;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Workflows.Run;

/// <summary>What run was asked: the llama-bench binary and its arguments, where to store, and how often to run.</summary>
public sealed record RunRequest(
    string Bench, string Database, string? Log, TimeSpan Timeout, string? Commit, string? Branch, string? Machine, bool UntilConfident, int MaxRuns,
    string? Baseline, string? BaselineCommit, string? Interleave, IReadOnlyList<string> Args);

/// <summary>run's work: one llama-bench invocation per stored run; repeated until confident or interleaved with a baseline binary.</summary>
public static class RunWorkflow
{
    /// <summary>Runs llama-bench as asked and returns the ids of the current runs it stored.</summary>
    public static IReadOnlyList<string> Run(WorkflowHost host, RunRequest req)
    {
        if (req.UntilConfident && req.Baseline is null)
        {
            throw new InputException("--repeat-until-confident needs --baseline-db (the results to be confident against)");
        }

        var options = Options(host, req);
        var runs = new List<string>();
        var pairs = req.Interleave is null ? 1 : req.MaxRuns;
        // One id per baseline/current pair: detect analyses the pair's difference, in which the machine's drift cancels.
        var session = $"{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..24];
        for (var i = 0; i < pairs; i++)
        {
            var pairOptions = req.Interleave is null ? options : options with { PairId = $"{session}-{i + 1}" };
            if (req.Interleave is not null)
            {
                Once(host, req with { Bench = req.Interleave }, req.Baseline ?? req.Database, pairOptions with { Commit = null }, "baseline");
            }

            runs.AddRange(Once(host, req, req.Database, pairOptions, req.Interleave is null ? null : "current"));
        }

        var invocations = 1;
        while (req.UntilConfident)
        {
            var report = Judge(req, runs);
            var inconclusive = report.Comparisons.Count(c => c.Verdict == Verdict.Inconclusive);
            host.Out.WriteLine($"after {Words.Count(invocations, "invocation")} ({Words.Count(runs.Count, "run")}): {Words.Count(report.Count(Verdict.Regression), "regression")}, {inconclusive} inconclusive of {report.Comparisons.Count} comparisons");
            if (inconclusive == 0 || invocations >= req.MaxRuns)
            {
                if (inconclusive > 0)
                {
                    host.Out.WriteLine($"still inconclusive after --max-runs {req.MaxRuns}: the changes are smaller than this machine's noise can show");
                }

                break;
            }

            runs.AddRange(Once(host, req, req.Database, options, null));
            invocations++;
        }

        return runs;
    }

    /// <summary>
    /// The runner's or host's name, with its GPUs and driver where nvidia-smi names them: a new GPU or driver then
    /// starts a new history on the same runner instead of reading as a change in llama.cpp. --machine is kept as given.
    /// </summary>
    public static string DefaultMachine(WorkflowHost host)
    {
        var name = NonEmpty(host.Environment("RUNNER_NAME")) ?? Environment.MachineName;
        return GpuProbe.FromEnvironment(host.Environment).Identity() is { } gpus ? $"{name} ({gpus})" : name;
    }

    /// <summary>Commit, branch and machine from the flags, the CI environment, then git and the host.</summary>
    private static IngestOptions Options(WorkflowHost host, RunRequest req)
    {
        var git = req.Branch is null && host.Environment("GITHUB_HEAD_REF") is not { Length: > 0 } && host.Environment("GITHUB_REF_NAME") is not { Length: > 0 }
            ? GitCommitGraph.TryOpen(Directory.GetCurrentDirectory()) : null;
        return new IngestOptions(
            Commit: req.Commit ?? NonEmpty(host.Environment("GITHUB_SHA")),
            Branch: req.Branch ?? NonEmpty(host.Environment("GITHUB_HEAD_REF")) ?? NonEmpty(host.Environment("GITHUB_REF_NAME")) ?? git?.CurrentBranch(),
            Machine: req.Machine ?? DefaultMachine(host),
            AllowDuplicates: true);
    }

    private static string? NonEmpty(string? s) => s is { Length: > 0 } ? s : null;

    /// <summary>One llama-bench invocation into one transaction: committed only if llama-bench succeeded.</summary>
    private static IReadOnlyList<string> Once(WorkflowHost host, RunRequest req, string database, IngestOptions options, string? role)
    {
        var logPath = req.Log ?? (StoreLocation.Of(database).IsPostgres ? "llama-bench.log" : database + ".llama-bench.log");
        using var log = new StreamWriter(logPath, append: true);
        log.WriteLine($"# {DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {req.Bench} {string.Join(' ', LlamaBenchProcess.Arguments(req.Args))}");
        var existed = StoreLocation.Of(database).Exists;
        var store = ResultStores.Open(database, create: true);
        try
        {
            (IngestOutcome Outcome, LlamaBenchExit Exit) Work(IProgress<string>? progress)
            {
                // Stored once llama-bench has exited: parallel runners share a SQLite file's write lock.
                var (output, exit) = LlamaBenchProcess.RunToEnd(req.Bench, req.Args, log, progress, req.Timeout, GpuProbe.FromEnvironment(host.Environment));
                using var kept = output;
                if (exit.Failed)
                {
                    // Nothing was stored: a failed run leaves no row behind.
                    throw new ExternalToolException(Failure(req, exit, null), req.Bench);
                }

                using var tx = store.BeginIngest();
                IngestOutcome outcome;
                try
                {
                    outcome = new Ingestor(tx, new SqliteDatabaseFileReader()).IngestStream($"{Path.GetFileName(req.Bench)} {string.Join(' ', req.Args)}", output, options);
                }
                catch (InputException e)
                {
                    throw e.WithInput(req.Bench);
                }

                if (outcome.Rows == 0)
                {
                    throw new ExternalToolException(Failure(req, exit, outcome), req.Bench);
                }

                tx.Commit();
                return (outcome, exit);
            }

            // llama-bench's --progress lines drive a live status line on a terminal; CI logs get only the summary.
            var name = Path.GetFileName(req.Bench);
            var (outcome, exit) = host.Status.Show($"{name}: starting", status => Work(status is null ? null : new Prefixed(status, name)));

            var runId = outcome.RunIds.Count > 0 ? outcome.RunIds[0] : null;
            // A process that ends before the first sample (50 ms) has no measured peak: none is recorded.
            double? peakMb = exit.PeakRssBytes > 0 ? exit.PeakRssBytes / MemoryFinding.BytesPerMb : null;
            var source = $"{Path.GetFileName(req.Bench)} {string.Join(' ', req.Args)}";
            double? vramMb = exit.PeakVramBytes is { } vram ? vram / MemoryFinding.BytesPerMb : null;
            List<MemoryFinding> peaks = [new MemoryFinding(source, null, "rss", MemoryFindingKind.Ok, null, null, peakMb, null, null, null, null,
                peakMb is null ? $"llama-bench run {runId} ended before its memory could be sampled" : $"peak RSS of llama-bench run {runId}")];
            if (vramMb is not null)
            {
                // Beside the RSS, under memcheck's detector name for device memory: memcheck --baseline-commit compares both.
                peaks.Add(new MemoryFinding(source, null, "gpu", MemoryFindingKind.Ok, null, null, vramMb, null, null, null, null, $"peak GPU memory of llama-bench run {runId} (sampled every second)"));
            }

            new MemoryLog(store).Record(peaks, options.Commit, runId, DateTimeOffset.UtcNow);
            host.Out.WriteLine($"{(role is null ? "" : role + ": ")}stored {Words.Count(outcome.Rows, "result")} in {Words.Count(outcome.RunIds.Count, "run")} ({string.Join(", ", outcome.RunIds)}) in {ResultStores.Describe(database)}; peak memory {(peakMb is { } mb ? $"{mb:F0} MB" : "not sampled")}{(vramMb is { } v ? $", GPU {v:F0} MB" : "")}; log {logPath}");
            return outcome.RunIds;
        }
        catch
        {
            if (!existed)
            {
                store.DiscardIfCreated();
            }

            throw;
        }
        finally
        {
            store.Dispose();
        }
    }

    private static string Failure(RunRequest req, LlamaBenchExit exit, IngestOutcome? outcome)
    {
        var tail = exit.StderrTail;
        return exit.TimedOut ? $"llama-bench was killed after --timeout {req.Timeout.TotalSeconds:0} s; nothing of this run was stored"
            : exit.ExitCode != 0 ? $"llama-bench exited with code {exit.ExitCode}{tail}; nothing of this run was stored (missing or unloadable model?)"
            : $"llama-bench printed no result ({outcome?.Rows ?? 0} rows){tail}";
    }

    /// <summary>detect between the baseline and this invocation's runs.</summary>
    private static DetectionReport Judge(RunRequest req, IReadOnlyList<string> runIds)
    {
        var baseline = StoredSides.Load(req.Baseline!, req.BaselineCommit);
        var current = StoredSides.Load(req.Database, null);
        current = current with { Runs = [.. current.Runs.Where(r => runIds.Contains(r.RunId))] };
        return new Detector(new DetectionSettings(Thresholds.Uniform(5))).Compare(baseline, current, DateTimeOffset.UtcNow);
    }

    /// <summary>llama-bench's progress lines under the binary's name, reported as they come.</summary>
    private sealed class Prefixed(IProgress<string> status, string name) : IProgress<string>
    {
        public void Report(string value) => status.Report($"{name}: {value}");
    }
}
