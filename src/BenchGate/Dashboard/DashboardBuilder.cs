using System.Security.Cryptography;
using System.Text;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Trend;

namespace BenchGate.Dashboard;

/// <summary>What the dashboard is built from, all read before anything is rendered.</summary>
/// <param name="Report">trend's analysis of the history (not stored: the dashboard only reads).</param>
/// <param name="Peaks">The peak memory of each benchmark's runs by key, machine and branch (<see cref="MemoryPeaks"/>).</param>
/// <param name="Commits">Commits in the order trend used.</param>
/// <param name="Alerts">Every alert.</param>
/// <param name="Memory">Every memory finding and measurement.</param>
/// <param name="Baseline">The active saved baseline, when it names a commit.</param>
public sealed record DashboardInput(TrendReport Report, IReadOnlyDictionary<(BenchmarkKey Key, string? Machine, string? Branch), IReadOnlyList<MemoryPoint>> Peaks, IReadOnlyList<string> Commits, IReadOnlyList<DashboardAlert> Alerts,
    IReadOnlyList<MemoryEntry> Memory, DashboardBaseline? Baseline);

/// <summary>Groups trend's series into benchmarks (one per key, machine and branch) with their memory, for <see cref="DashboardSite"/>.</summary>
public static class DashboardBuilder
{
    public static DashboardSite Build(DashboardInput input, string title, string source, string? commitUrl, DateTimeOffset now)
    {
        var memory = input.Peaks;
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
}
