using BenchGate.Detection;
using BenchGate.Model;

namespace BenchGate.Storage.Shared;

/// <summary>
/// performance_history as detect reads it: the newest entries of every benchmark and metric, read in one query
/// on first use (a query per benchmark cost ~40 µs, over a second for 10,000 benchmarks × 3 metrics), then
/// served to the detector's parallel analyses.
/// </summary>
internal sealed class HistoryWindow(Func<int, List<HistoryRowValue>> read)
{
    /// <summary>How many earlier commits of a benchmark and metric detect uses for its noise.</summary>
    public const int Depth = 30;

    /// <summary>How many earlier values are read for them (several runs of a commit are one point).</summary>
    public const int ValueDepth = 60;

    // Keep enough newest entries that Depth remain after the compared runs are left out.
    public const string Query = """
        SELECT key_hash, metric, run_id, commit_sha, value FROM (
          SELECT key_hash, metric, run_id, commit_sha, value, ROW_NUMBER() OVER (PARTITION BY key_hash, metric ORDER BY id DESC) AS nth
          FROM performance_history WHERE value > 0) AS h
        WHERE nth <= @n ORDER BY key_hash, metric, nth
        """;

    private readonly Lock _lock = new();
    private Dictionary<(string KeyHash, string Metric), List<HistoryRowValue>>? _history;

    public IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns)
    {
        lock (_lock)
        {
            _history ??= Group(read(ValueDepth + excludeRuns.Count));
        }

        if (!_history.TryGetValue((key.Hash, metric.Name), out var entries))
        {
            return [];
        }

        var values = new List<HistoryValue>(Math.Min(entries.Count, ValueDepth));
        var points = 0;
        foreach (var e in entries)
        {
            if (e.RunId is not null && excludeRuns.Contains(e.RunId))
            {
                continue;
            }

            if (values.Count == 0 || e.Commit is null || values[^1].Commit != e.Commit)
            {
                if (++points > Depth || values.Count >= ValueDepth)
                {
                    break;
                }
            }

            values.Add(new HistoryValue(e.Commit, Math.Log(e.Value)));
        }

        return values;
    }

    private static Dictionary<(string, string), List<HistoryRowValue>> Group(List<HistoryRowValue> rows)
    {
        var history = new Dictionary<(string, string), List<HistoryRowValue>>();
        foreach (var row in rows)
        {
            if (!history.TryGetValue((row.KeyHash, row.Metric), out var list))
            {
                history[(row.KeyHash, row.Metric)] = list = [];
            }

            list.Add(row);
        }

        return history;
    }
}

/// <summary>One performance_history value as the window reads it.</summary>
internal sealed record HistoryRowValue(string KeyHash, string Metric, string? RunId, string? Commit, double Value);
