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

/// <summary>Stored runs handed over one at a time, in storage order: trend reads a long history without holding it.</summary>
public interface ITrendRuns
{
    /// <summary>
    /// Hands every run to <paramref name="run"/>, in storage order. A store may still be reading when it calls
    /// <paramref name="run"/>: the callback must not use that store.
    /// </summary>
    void Read(Action<TrendRun> run);
}

/// <summary>Runs already in memory, as <see cref="ITrendRuns"/>.</summary>
public sealed class TrendRunList(IEnumerable<TrendRun> runs) : ITrendRuns
{
    public void Read(Action<TrendRun> run)
    {
        foreach (var r in runs)
        {
            run(r);
        }
    }
}

/// <summary>
/// Turns stored runs into series: one per benchmark, metric and machine, one point per commit (its runs merged), in commit
/// order: the order given (a branch's first-parent history from git), else the order the runs were stored.
/// </summary>
public static class TrendSeriesBuilder
{
    /// <summary>The commits in order and where each run's commit sits in it.</summary>
    /// <param name="runs">Runs in storage order.</param>
    /// <param name="history">Full hashes oldest first (git), or null for storage order. Runs of commits outside it are left out.</param>
    public static IReadOnlyList<string> Order(IReadOnlyList<TrendRun> runs, IReadOnlyList<string>? history) =>
        Order([.. runs.Select(r => r.Run.Commit).OfType<string>().Distinct(StringComparer.Ordinal)], history);

    /// <summary>The commits in order: <paramref name="commits"/> (distinct, in storage order) as they are, or as placed by <paramref name="history"/>.</summary>
    public static IReadOnlyList<string> Order(IReadOnlyList<string> commits, IReadOnlyList<string>? history)
    {
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
        var series = new TrendSeriesAccumulator(metrics);
        foreach (var run in runs)
        {
            series.Add(run);
        }

        return series.Build(order, branch, alpha);
    }

    /// <summary>Stable id of a series (16 hex digits).</summary>
    public static string SeriesId(BenchmarkKey key, Metric metric, string? machine, string? branch) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key.Hash}|{metric.Name}|{machine}|{branch}")).AsSpan(0, 8));

    /// <summary>A point: the geometric mean of its runs' values and its interval (a lone run's from its repetitions' spread).</summary>
    internal static TrendPoint Point(string commit, ReadOnlySpan<double> values, double? loneSd, int? loneReps, double alpha)
    {
        Span<double> logs = values.Length <= 64 ? stackalloc double[values.Length] : new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            logs[i] = Math.Log(values[i]);
        }

        var mean = Robust.Mean(logs);
        double half = 0;
        if (logs.Length > 1)
        {
            half = StudentT.Quantile(1 - alpha, logs.Length - 1) * Math.Sqrt(Robust.Variance(logs) / logs.Length);
        }
        else if (loneSd is > 0 and var sd)
        {
            // One run: the uncertainty of its mean of repetitions.
            var reps = loneReps ?? 5;
            half = StudentT.Quantile(1 - alpha, Math.Max(1, reps - 1)) * sd / Math.Sqrt(reps);
        }

        return new TrendPoint(commit, Math.Exp(mean), Math.Exp(mean - half), Math.Exp(mean + half), logs.Length);
    }
}
