using BenchGate.Detection;

namespace BenchGate.Trend;

/// <summary>A change point an earlier trend stored, with its alert.</summary>
/// <param name="Id">Its row.</param>
/// <param name="SeriesId">The series.</param>
/// <param name="Commit">First commit of the new level when it was last seen.</param>
/// <param name="Up">The level went up.</param>
/// <param name="AlertId">The alert raised for it (regressions only).</param>
/// <param name="AlertStatus">That alert's status now (a user may have marked it).</param>
public sealed record StoredChangePoint(long Id, string SeriesId, string Commit, bool Up, long? AlertId, string? AlertStatus);

/// <summary>
/// Decides which change points are new. One change point raises one alert, the first time it is found, and never again:
/// as more commits arrive the estimate of where a level shifted can move by a commit or two, so a stored change point of
/// the same series in the same direction within <see cref="Tolerance"/> commits is the same one.
/// </summary>
public static class TrendLedger
{
    /// <summary>Commits a change point may move and still be the one stored.</summary>
    public const int Tolerance = 3;

    /// <summary>Each series' change points with their stored alert (or marked new), and which stored row each continues.</summary>
    public static (IReadOnlyList<SeriesTrend> Series, IReadOnlyDictionary<TrendChangePoint, long> Continues) Reconcile(
        IReadOnlyList<SeriesTrend> series, IReadOnlyList<StoredChangePoint> stored)
    {
        var bySeries = stored.GroupBy(s => s.SeriesId).ToDictionary(g => g.Key, g => g.ToList());
        var continues = new Dictionary<TrendChangePoint, long>(ReferenceEqualityComparer.Instance);
        var result = new List<SeriesTrend>(series.Count);
        foreach (var s in series)
        {
            var known = bySeries.GetValueOrDefault(s.Series.Id) ?? [];
            var index = s.Series.Points.Select((p, i) => (p.Commit, i)).ToDictionary(x => x.Commit, x => x.i, StringComparer.Ordinal);
            var used = new HashSet<long>();
            var marked = new List<TrendChangePoint>();
            foreach (var cp in s.ChangePoints)
            {
                var up = cp.ChangePercent > 0;
                var match = known.Where(k => k.Up == up && !used.Contains(k.Id) && index.TryGetValue(k.Commit, out var at) && Math.Abs(at - cp.Index) <= Tolerance)
                    .OrderBy(k => Math.Abs(index[k.Commit] - cp.Index)).FirstOrDefault();
                if (match is not null)
                {
                    used.Add(match.Id);
                    var same = cp with { AlertId = match.AlertId, AlertStatus = match.AlertStatus };
                    continues[same] = match.Id;
                    marked.Add(same);
                }
                else
                {
                    // A new regression raises an alert (the store gives it its id); improvements are recorded, not alerted.
                    marked.Add(cp with { NewAlert = cp.Verdict == Verdict.Regression, AlertStatus = cp.Verdict == Verdict.Regression ? "open" : null });
                }
            }

            result.Add(s with { ChangePoints = marked });
        }

        return (result, continues);
    }
}
