using BenchGate.Detection;

namespace BenchGate.Trend;

/// <summary>A change point an earlier trend stored, with its alert.</summary>
/// <param name="Id">Its row.</param>
/// <param name="SeriesId">The series.</param>
/// <param name="Commit">First commit of the new level when it was last seen.</param>
/// <param name="Up">The level went up.</param>
/// <param name="AlertId">The alert raised for it (regressions only).</param>
/// <param name="AlertStatus">That alert's status now (a user may have marked it).</param>
/// <param name="PreviousCommit">Last commit of the old level when it was last seen.</param>
/// <param name="Cause">What it was put down to then.</param>
public sealed record StoredChangePoint(long Id, string SeriesId, string Commit, bool Up, long? AlertId, string? AlertStatus, string? PreviousCommit = null,
    SuspectedCause Cause = SuspectedCause.Code);

/// <summary>
/// Decides which change points are new. One change point raises one alert, the first time it is found, and never again:
/// as more commits arrive the estimate of where a level shifted can move by a commit or two, so a stored change point of
/// the same series in the same direction within <see cref="Tolerance"/> commits is the same one — and so is one whose
/// commit range holds the new one, as happens when the commits between its two ends are benchmarked (bisecting).
/// One put down to the machine that a later analysis puts down to the code fails trend then (escalated), once.
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
                int Distance(StoredChangePoint k)
                {
                    var at = index[k.Commit];
                    // The stored range (its previous commit to its commit) holds the new change point: the same shift, narrowed.
                    var from = k.PreviousCommit is not null && index.TryGetValue(k.PreviousCommit, out var p) ? p : at - 1;
                    return cp.Index > from && cp.Index <= at ? 0 : Math.Abs(at - cp.Index);
                }

                var match = known.Where(k => k.Up == up && !used.Contains(k.Id) && index.ContainsKey(k.Commit) && Distance(k) <= Tolerance)
                    .OrderBy(Distance).FirstOrDefault();
                if (match is not null)
                {
                    used.Add(match.Id);
                    var escalated = match.Cause == SuspectedCause.Machine && cp.Cause == SuspectedCause.Code && cp.Verdict == Verdict.Regression;
                    var same = cp with { AlertId = match.AlertId, AlertStatus = match.AlertStatus, Escalated = escalated };
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
