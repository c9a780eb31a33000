using System.Security.Cryptography;
using System.Text;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Trend;

namespace BenchGate.Dashboard;

/// <summary>What the dashboard is built from, all read before anything is rendered.</summary>
/// <param name="Report">trend's analysis of the history (not stored: the dashboard only reads).</param>
/// <param name="Runs">The runs the report was built from, for the peak memory of each benchmark's runs.</param>
/// <param name="Commits">Commits in the order trend used.</param>
/// <param name="Alerts">Every alert.</param>
/// <param name="Memory">Every memory finding and measurement.</param>
/// <param name="Baseline">The active saved baseline, when it names a commit.</param>
public sealed record DashboardInput(TrendReport Report, IReadOnlyList<TrendRun> Runs, IReadOnlyList<string> Commits, IReadOnlyList<DashboardAlert> Alerts,
    IReadOnlyList<MemoryEntry> Memory, DashboardBaseline? Baseline);

/// <summary>Groups trend's series into benchmarks (one per key, machine and branch) with their memory, for <see cref="DashboardSite"/>.</summary>
public static class DashboardBuilder
{
    public static DashboardSite Build(DashboardInput input, string title, string source, string? commitUrl, DateTimeOffset now)
    {
        var memory = PeaksByBenchmark(input.Runs, input.Memory);
        var benchmarks = input.Report.Series
            .GroupBy(s => (s.Series.Key, s.Series.Machine, s.Series.Branch))
            .Select(g =>
            {
                var (key, machine, branch) = g.Key;
                var metrics = g.OrderBy(s => MetricRank(s.Series.Metric)).ToList();
                return new DashboardBenchmark(PageId(key, machine, branch), key, metrics[0].Series.Title, machine, branch, metrics,
                    memory.GetValueOrDefault((key, machine, branch)) ?? memory.GetValueOrDefault((key, machine, null)) ?? []);
            })
            .OrderBy(b => b.Title, StringComparer.Ordinal).ThenBy(b => b.Machine, StringComparer.Ordinal).ThenBy(b => b.Branch, StringComparer.Ordinal)
            .ToList();
        var alerts = input.Alerts.OrderByDescending(a => a.Id).ToList();
        return new DashboardSite(now, title, source, input.Report.Order, input.Commits, benchmarks, alerts, input.Memory, input.Baseline, commitUrl,
            input.Report.ThresholdPercent, input.Report.Alpha);
    }

    /// <summary>A file name that stays the same for a benchmark, machine and branch from one site to the next (bookmarks, PR links).</summary>
    public static string PageId(BenchmarkKey key, string? machine, string? branch)
    {
        var where = SHA256.HashData(Encoding.UTF8.GetBytes($"{machine}\u0001{branch}"));
        return $"{key.Hash}-{Convert.ToHexStringLower(where.AsSpan(0, 4))}";
    }

    private static int MetricRank(Metric metric) => metric.Name switch
    {
        "avg_ts" => 0,
        "avg_ns" => 1,
        _ => 2,
    };

    /// <summary>
    /// Peak RSS of the runs that measured each benchmark, per commit (the median when a commit has several runs): <c>run</c>
    /// records one peak per llama-bench invocation, which measured every benchmark of that run.
    /// </summary>
    private static Dictionary<(BenchmarkKey, string?, string?), IReadOnlyList<MemoryPoint>> PeaksByBenchmark(IReadOnlyList<TrendRun> runs, IReadOnlyList<MemoryEntry> memory)
    {
        var peakOfRun = memory.Where(m => m.RunId is not null && m.Detector == "rss" && m.PeakMb is { } p && double.IsFinite(p))
            .GroupBy(m => m.RunId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(m => m.PeakMb!.Value), StringComparer.Ordinal);
        var result = new Dictionary<(BenchmarkKey, string?, string?), IReadOnlyList<MemoryPoint>>();
        if (peakOfRun.Count == 0)
        {
            return result;
        }

        var perCommit = new Dictionary<(BenchmarkKey, string?, string?), List<(string Commit, double Peak)>>();
        foreach (var run in runs)
        {
            if (run.Run.Commit is not { } commit || !peakOfRun.TryGetValue(run.Run.RunId, out var peak))
            {
                continue;
            }

            foreach (var key in run.Run.Records.Select(r => r.Key).Distinct())
            {
                // Series of runs on no branch (ingest without --branch) are keyed by machine alone.
                var id = (key, run.Machine, run.Branch);
                if (!perCommit.TryGetValue(id, out var list))
                {
                    perCommit[id] = list = [];
                }

                list.Add((commit, peak));
            }
        }

        foreach (var (id, list) in perCommit)
        {
            // Runs are in storage order: a commit's points keep the position of its first run.
            result[id] = [.. list.GroupBy(x => x.Commit, StringComparer.Ordinal).Select(g => new MemoryPoint(g.Key, Statistics.Robust.Median([.. g.Select(x => x.Peak)])))];
        }

        return result;
    }
}
