using System.Globalization;
using BenchGate.Bisect;
using BenchGate.Detection;
using BenchGate.Git;
using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Processes;
using BenchGate.Storage;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Workflows.Bisect;

/// <summary>
/// bisect's lab on a real machine: each commit is built in its own git worktree by the user's build command (a build
/// that finished once is found again by its stamp file), and each round runs llama-bench of the good end, the probe
/// and the bad end, in an order that alternates from round to round, storing every run in the database in its own
/// transaction (branch <c>bisect</c>, the round as its pair id).
/// </summary>
internal sealed class BisectLab(
    BisectRequest req, GitWorktrees git, string workDirectory, IResultStore store, string machine, Metric metric,
    string? keyHash, string good, string bad, IProgress<string>? status) : IBisectLab
{
    private const string Stamp = ".benchgate-built";
    private readonly string _session = DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<BenchmarkKey, string> _titles = [];

    /// <summary>Builds that ran (a build found by its stamp is not counted).</summary>
    public int BuildsRun { get; private set; }

    public string? Build(string commit)
    {
        var tree = Tree(commit);
        // A build by another build command is not this one's.
        var stamp = Path.Combine(tree, Stamp);
        if (File.Exists(stamp) && File.ReadAllText(stamp) == req.BuildCommand + "\n" && File.Exists(Path.Combine(tree, req.Bench)))
        {
            return null;
        }

        status?.Report($"building {commit[..9]}");
        if (git.Checkout(commit, tree) is { } failure)
        {
            return failure;
        }

        BuildsRun++;
        var log = Path.Combine(workDirectory, commit[..12] + ".build.log");
        var r = ExternalProcess.Run("sh", ["-c", req.BuildCommand], req.BuildTimeout, tree, new Dictionary<string, string> { ["BENCHGATE_COMMIT"] = commit });
        File.WriteAllText(log, $"$ {req.BuildCommand}\n{r.Stdout}{r.Stderr}");
        if (r.NotFound)
        {
            throw new ExternalToolException("sh is not installed (bisect runs --build-cmd with it)", "sh");
        }

        if (!r.Succeeded)
        {
            var last = (r.Stderr + r.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            var why = r.TimedOut ? $"--build-cmd timed out after {req.BuildTimeout.TotalSeconds:0} s" : $"--build-cmd exited with {r.ExitCode}{(last is null ? "" : ": " + last)}";
            return $"{why} (log: {log})";
        }

        if (!File.Exists(Path.Combine(tree, req.Bench)))
        {
            return $"--build-cmd succeeded but --bench {req.Bench} is not in the worktree (log: {log})";
        }

        File.WriteAllText(Path.Combine(tree, Stamp), req.BuildCommand + "\n");
        return null;
    }

    public IReadOnlyDictionary<string, ProbeRound> Round(string? probe, int round)
    {
        // Alternating the order cancels a drift that runs through the round (a machine warming up).
        string[] order = probe is null ? [good, bad] : [good, probe, bad];
        if (round % 2 == 0)
        {
            Array.Reverse(order);
        }

        var values = new Dictionary<string, Dictionary<BenchmarkKey, double>>(StringComparer.Ordinal);
        foreach (var commit in order)
        {
            var role = commit == probe ? "probe" : commit == good ? "good" : "bad";
            try
            {
                values[commit] = RunOnce(commit, round, probe is null ? "ends" : role);
            }
            catch (ExternalToolException e) when (role != "probe")
            {
                // Only the probe's failure is the probe's: an end that fails is not a reason to skip the commit.
                throw new InputException($"the {role} end's llama-bench failed in round {round}: {e.Message}");
            }
        }

        var p = values[probe ?? bad];
        var keys = values[good].Keys.Where(k => values[bad].ContainsKey(k) && p.ContainsKey(k)).ToList();
        // Titles from every key seen so far, so that a benchmark keeps its title from round to round.
        if (!keys.TrueForAll(_titles.ContainsKey))
        {
            foreach (var (k, title) in BenchmarkTitle.For([.. _titles.Keys.Union(keys)]))
            {
                _titles[k] = title;
            }
        }

        return keys.ToDictionary(k => _titles[k], k => new ProbeRound(values[good][k], p[k], values[bad][k]), StringComparer.Ordinal);
    }

    private string Tree(string commit) => Path.Combine(workDirectory, commit[..12]);

    private Dictionary<BenchmarkKey, double> RunOnce(string commit, int round, string role)
    {
        var bench = Path.Combine(Tree(commit), req.Bench);
        status?.Report($"round {round}: {role} {commit[..9]}");
        using var log = new StreamWriter(Path.Combine(workDirectory, commit[..12] + ".llama-bench.log"), append: true);
        var (output, exit) = LlamaBenchProcess.RunToEnd(bench, req.Args, log, null, req.RunTimeout);
        using var kept = output;
        if (exit.Failed)
        {
            throw new ExternalToolException(exit.TimedOut ? $"llama-bench of {commit[..9]} was killed after {req.RunTimeout.TotalSeconds:0} s"
                : $"llama-bench of {commit[..9]} exited with code {exit.ExitCode}{exit.StderrTail}", bench);
        }

        IReadOnlyList<BenchmarkRecord> records;
        try
        {
            records = RecordReader.Read(InputFormat.Jsonl, output);
        }
        catch (InputException e)
        {
            throw new ExternalToolException($"llama-bench of {commit[..9]} printed what is not llama-bench jsonl: {e.Message}", bench);
        }

        records = [.. records.Where(r => keyHash is null || r.Key.Hash == keyHash)];
        if (records.Count == 0)
        {
            return [];
        }

        using (var tx = store.BeginIngest())
        {
            new Ingestor(tx, new SqliteDatabaseFileReader()).IngestRecords($"bisect {role} {commit[..9]} round {round}", InputFormat.Jsonl, records,
                $"bisect-{_session}-{round}-{role}-{commit}",
                new IngestOptions(Commit: commit, Branch: "bisect", Machine: machine, AllowDuplicates: true, PairId: $"bisect-{_session}-{round}"));
            tx.Commit();
        }

        var values = new Dictionary<BenchmarkKey, double>();
        foreach (var r in records)
        {
            if (metric.ValueOf(r, "", useSamples: false) is { Value: > 0 } v)
            {
                values[r.Key] = v.Value;
            }
        }

        return values;
    }
}
