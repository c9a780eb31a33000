using System.Security.Cryptography;
using System.Text;
using BenchGate.Bisect;
using BenchGate.Detection;
using BenchGate.Git;
using BenchGate.Reports;
using BenchGate.Storage;

namespace BenchGate.Workflows.Bisect;

/// <summary>
/// bisect's work: resolves the range with git, opens the database and the verdict cache, runs the statistical
/// bisection in the lab of worktrees and llama-bench runs, and writes the reports.
/// </summary>
public static class BisectWorkflow
{
    public static BisectResult Run(WorkflowHost host, BisectRequest req) => WithLab(host, req, (git, good, bad, bisect, settings, metric) =>
    {
        var range = git.FirstParentRange(good, bad);
        host.Out.WriteLine($"bisecting {Words.Count(range.Count - 1, "commit")} after {range[0].Short} up to {range[^1].Short} (first parent)");
        var result = bisect.Run(range);
        var markdown = BisectMarkdown.Render(result, metric.Label, settings.Confidence);
        if (req.Output is { } md)
        {
            ReportFiles.Write(md, markdown);
        }

        if (req.JsonOutput is { } json)
        {
            using var file = ReportFiles.Create(json);
            BisectJson.Write(result, metric.Name, settings.Confidence, file);
        }

        if (host.Variable("GITHUB_STEP_SUMMARY") is { } summary)
        {
            File.AppendAllText(summary, markdown);
        }

        host.Out.WriteLine(BisectText.Line(result));
        return result;
    });

    /// <summary>
    /// One commit's verdict for <c>git bisect run</c>: <paramref name="probe"/> (HEAD of the repository, which git bisect
    /// checked out) judged against the ends, built like every other commit in its own worktree.
    /// </summary>
    public static BisectStep Step(WorkflowHost host, BisectRequest req, string probe) => WithLab(host, req, (git, good, bad, bisect, settings, metric) =>
    {
        var sha = git.Resolve(probe, "--commit");
        var step = bisect.Step(new BisectCommit(good, ""), new BisectCommit(bad, ""), new BisectCommit(sha, ""));
        var ends = BisectText.Change(step.Ends.EndsChange, step.Ends.FromGoodSe, step.Ends.DegreesOfFreedom);
        host.Out.WriteLine(step.Probe is not { } v
            ? $"bisect-step: no change between the ends that the noise can show ({step.Benchmark} {ends}): nothing to bisect"
            : v.State == ProbeState.Skipped ? $"bisect-step: {sha[..9]} skipped: {v.Detail}"
            : $"bisect-step: {sha[..9]} is {v.State.ToString().ToLowerInvariant()}{(v.Confident ? "" : " (not confident after --max-runs: skipped)")}; {step.Benchmark}: ends {ends}{(step.ProbeCached ? " (cached)" : "")}");
        return step;
    });

    private delegate T LabWork<T>(GitWorktrees git, string good, string bad, StatisticalBisect bisect, BisectSettings settings, Metric metric);

    /// <summary>What bisect and bisect-step share: the repository, the database and its verdict cache, the ends and the lab.</summary>
    private static T WithLab<T>(WorkflowHost host, BisectRequest req, LabWork<T> work)
    {
        if (GitCommitGraph.TryOpen(req.Repository) is null)
        {
            throw new InputException($"--repo {req.Repository}: not a git repository");
        }

        if (Path.IsPathRooted(req.Bench))
        {
            throw new InputException($"--bench {req.Bench}: give llama-bench's path inside a commit's worktree (build/bin/llama-bench), not an absolute path");
        }

        var git = new GitWorktrees(req.Repository);
        var existed = StoreLocation.Of(req.Database).Exists;
        var store = ResultStores.Open(req.Database, create: true);
        var measuring = false;
        try
        {
            var (goodRev, badRev, benchmark, keyHash, metric) = FromAlert(store, req);
            var good = git.Resolve(goodRev ?? throw new InputException("--good is required (or --alert ID)"), "--good");
            var bad = git.Resolve(badRev ?? throw new InputException("--bad is required (or --alert ID)"), "--bad");
            git.RequireAncestor(good, bad);
            var machine = req.Machine ?? host.Variable("RUNNER_NAME") ?? Environment.MachineName;
            var settings = new BisectSettings(req.Confidence, MaxRounds: Math.Max(3, req.MaxRuns), Benchmark: benchmark, HigherIsBetter: metric.HigherIsBetter);
            var cache = new BisectVerdicts(store, Key(req, good, bad, machine, keyHash, metric, settings), () => DateTimeOffset.UtcNow);
            var workDirectory = Path.GetFullPath(req.WorkDirectory ?? Path.Combine(git.CommonDirectory(), "benchgate-bisect"));
            Directory.CreateDirectory(workDirectory);
            host.Out.WriteLine($"builds and logs in {workDirectory}; runs and verdicts in {ResultStores.Describe(req.Database)}");
            measuring = true;
            return host.Status.Show("bisect: starting", status =>
            {
                var lab = new BisectLab(req, git, workDirectory, store, machine, metric, keyHash, good, bad, status);
                return work(git, good, bad, new StatisticalBisect(lab, settings, cache, new Progress(host.Out, status)), settings, metric);
            });
        }
        catch
        {
            // Once runs are stored, they and their verdicts are kept: a second bisection starts from them.
            if (!existed && !measuring)
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

    /// <summary>The range, benchmark and metric of a stored alert, or the request's own.</summary>
    private static (string? Good, string? Bad, string? Benchmark, string? KeyHash, Metric Metric) FromAlert(IResultStore store, BisectRequest req)
    {
        if (req.AlertId is not { } id)
        {
            return (req.Good, req.Bad, req.Benchmark, null, Metric.TokensPerSecond);
        }

        var alert = new AlertLog(store).Get(id) ?? throw new InputException($"--alert {id}: no such alert in {ResultStores.Describe(req.Database)}");
        var metric = Metric.Defaults.FirstOrDefault(m => m.Name == alert.Metric && m != Metric.ModelSize)
            ?? throw new InputException($"--alert {id} is about {alert.Metric}, which a rerun of llama-bench does not change: nothing to bisect");
        return (req.Good ?? alert.BaselineCommit ?? throw new InputException($"--alert {id} names no baseline commit: give --good"),
            req.Bad ?? alert.CurrentCommit ?? throw new InputException($"--alert {id} names no current commit: give --bad"),
            req.Benchmark, alert.KeyHash, metric);
    }

    /// <summary>What makes two bisections the same, hashed: their verdicts can stand in for each other.</summary>
    private static string Key(BisectRequest req, string good, string bad, string machine, string? keyHash, Metric metric, BisectSettings settings)
    {
        var parts = new[]
        {
            // Relative paths in llama-bench's arguments (-m model.gguf) resolve against the directory bisect starts in.
            Directory.GetCurrentDirectory(), req.RunTimeout.TotalSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            req.BuildTimeout.TotalSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            good, bad, req.BuildCommand, req.Bench, string.Join('\u001f', req.Args), settings.Benchmark ?? "", keyHash ?? "", machine, metric.Name,
            settings.Confidence.ToString("R", System.Globalization.CultureInfo.InvariantCulture), settings.MaxRounds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', parts))))[..32];
    }

    /// <summary>Each step on its own line (CI logs read them) and on the live status line.</summary>
    private sealed class Progress(TextWriter output, IProgress<string>? status) : IProgress<string>
    {
        public void Report(string value)
        {
            output.WriteLine(value);
            status?.Report(value);
        }
    }
}
