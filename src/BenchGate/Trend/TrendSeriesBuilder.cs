using System.Security.Cryptography;
using System.Text;
using BenchGate.Detection;
using BenchGate.Model;
using BenchGate.Statistics;

namespace BenchGate.Trend;

/// <summary>A stored run with where it was made, as trend reads it.</summary>
/// <param name="Run">The run and its results.</param>
/// <param name="Machine">Machine or runner.</param>
/// <param name="Branch">Branch.</param>
public sealed record TrendRun(RunRecords Run, string? Machine, string? Branch);

/// <summary>
/// Turns stored runs into series: one per benchmark, metric and machine, one point per commit (its runs merged), in commit
/// order: the order given (a branch's first-parent history from git), else the order the runs were stored.
/// </summary>
public static class TrendSeriesBuilder
{
    /// <summary>The commits in order and where each run's commit sits in it.</summary>
    /// <param name="runs">Runs in storage order.</param>
    /// <param name="history">Full hashes oldest first (git), or null for storage order. Runs of commits outside it are left out.</param>
    public static IReadOnlyList<string> Order(IReadOnlyList<TrendRun> runs, IReadOnlyList<string>? history)
    {
        var commits = runs.Select(r => r.Run.Commit).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (history is null)
        {
            return commits;
        }

        // Runs name commits by llama-bench's short build_commit or by a full hash: match by prefix either way.
        var stored = commits.ToHashSet(StringComparer.Ordinal);
        var ordered = new List<string>();
        foreach (var full in history)
        {
            var match = stored.FirstOrDefault(c => full.StartsWith(c, StringComparison.OrdinalIgnoreCase) || c.StartsWith(full, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                ordered.Add(match);
                stored.Remove(match);
            }
        }

        return ordered;
    }

    /// <summary>The series of <paramref name="runs"/> for <paramref name="metrics"/>, over <paramref name="order"/> (commits outside it are left out).</summary>
    public static IReadOnlyList<TrendSeries> Build(IReadOnlyList<TrendRun> runs, IReadOnlyList<string> order, IReadOnlyList<Metric> metrics, string? branch, double alpha)
    {
        var position = order.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var groups = new Dictionary<(BenchmarkKey Key, string? Machine), SortedDictionary<int, List<(RunRecords Run, BenchmarkRecord Record)>>>();
        foreach (var r in runs)
        {
            if (r.Run.Commit is not { } commit || !position.TryGetValue(commit, out var at))
            {
                continue;
            }

            foreach (var record in r.Run.Records)
            {
                if (!groups.TryGetValue((record.Key, r.Machine), out var byCommit))
                {
                    groups[(record.Key, r.Machine)] = byCommit = [];
                }

                if (!byCommit.TryGetValue(at, out var list))
                {
                    byCommit[at] = list = [];
                }

                list.Add((r.Run, record));
            }
        }

        var titles = BenchmarkTitle.For([.. groups.Keys.Select(k => k.Key).Distinct()]);
        var series = new List<TrendSeries>();
        var values = new List<RunValue>();
        foreach (var ((key, machine), byCommit) in groups.OrderBy(g => titles[g.Key.Key], StringComparer.Ordinal).ThenBy(g => g.Key.Machine, StringComparer.Ordinal))
        {
            foreach (var metric in metrics)
            {
                var points = new List<TrendPoint>(byCommit.Count);
                foreach (var (at, rows) in byCommit)
                {
                    // One list reused point after point: a history of 500,000 results builds a million points.
                    var useSamples = rows.TrueForAll(x => x.Record.SamplesNs is not null);
                    values.Clear();
                    foreach (var (run, record) in rows)
                    {
                        if (metric.ValueOf(record, run.RunId, useSamples) is { Value: > 0 } v)
                        {
                            values.Add(v);
                        }
                    }

                    if (values.Count > 0)
                    {
                        points.Add(Point(order[at], values, alpha));
                    }
                }

                if (points.Count > 0)
                {
                    series.Add(new TrendSeries(SeriesId(key, metric, machine, branch), key, titles[key], metric, machine, branch, points));
                }
            }
        }

        return series;
    }

    /// <summary>Stable id of a series (16 hex digits).</summary>
    public static string SeriesId(BenchmarkKey key, Metric metric, string? machine, string? branch) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key.Hash}|{metric.Name}|{machine}|{branch}")).AsSpan(0, 8));

    private static TrendPoint Point(string commit, List<RunValue> values, double alpha)
    {
        Span<double> logs = values.Count <= 64 ? stackalloc double[values.Count] : new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            logs[i] = Math.Log(values[i].Value);
        }

        var mean = Robust.Mean(logs);
        double half = 0;
        if (logs.Length > 1)
        {
            half = StudentT.Quantile(1 - alpha, logs.Length - 1) * Math.Sqrt(Robust.Variance(logs) / logs.Length);
        }
        else if (values[0] is { WithinLogSd: > 0 } one)
        {
            // One run: the uncertainty of its mean of repetitions.
            var reps = one.Repetitions ?? 5;
            half = StudentT.Quantile(1 - alpha, Math.Max(1, reps - 1)) * one.WithinLogSd!.Value / Math.Sqrt(reps);
        }

        return new TrendPoint(commit, Math.Exp(mean), Math.Exp(mean - half), Math.Exp(mean + half), logs.Length);
    }
}
