using BenchGate.Detection;
using BenchGate.Model;

namespace BenchGate.Storage.Shared;

/// <summary>
/// performance_history as detect reads it: the newest entries of every benchmark and metric, read in one query
/// on first use (a query per benchmark cost ~40 µs, over a second for 10,000 benchmarks × 3 metrics), then
/// served to the detector's parallel analyses.
/// </summary>
internal sealed class HistoryWindow(Func<int, List<(string KeyHash, string Metric, string? RunId, double Value)>> read)
{
    /// <summary>How many earlier values of a benchmark and metric detect uses for its noise.</summary>
    public const int Depth = 30;

    // Keep enough newest entries that Depth remain after the compared runs are left out.
    public const string Query = """
        SELECT key_hash, metric, run_id, value FROM (
          SELECT key_hash, metric, run_id, value, ROW_NUMBER() OVER (PARTITION BY key_hash, metric ORDER BY id DESC) AS nth
          FROM performance_history WHERE value > 0) AS h
        WHERE nth <= @n ORDER BY key_hash, metric, nth
        """;

    private readonly Lock _lock = new();
    private Dictionary<(string KeyHash, string Metric), List<(string? RunId, double Value)>>? _history;

    public IReadOnlyList<double> LogValues(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns)
    {
        lock (_lock)
        {
            _history ??= Group(read(Depth + excludeRuns.Count));
        }

        if (!_history.TryGetValue((key.Hash, metric.Name), out var entries))
        {
            return [];
        }

        var values = new List<double>(Math.Min(entries.Count, Depth));
        foreach (var (runId, value) in entries)
        {
            if (values.Count == Depth)
            {
                break;
            }

            if (runId is null || !excludeRuns.Contains(runId))
            {
                values.Add(Math.Log(value));
            }
        }

        return values;
    }

    private static Dictionary<(string, string), List<(string?, double)>> Group(List<(string KeyHash, string Metric, string? RunId, double Value)> rows)
    {
        var history = new Dictionary<(string, string), List<(string?, double)>>();
        foreach (var (k, m, run, v) in rows)
        {
            if (!history.TryGetValue((k, m), out var list))
            {
                history[(k, m)] = list = [];
            }

            list.Add((run, v));
        }

        return history;
    }
}
