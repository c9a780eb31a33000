using System.Globalization;

namespace BenchGate.Trend;

/// <summary>
/// Tells a machine that changed from a commit that did: a level shift that most series of one machine share at once,
/// in the same direction and by a similar amount, is put down to the machine (a CI runner that slowed, as in the real
/// aa_history fixture, where one binary's four benchmarks all dropped 12–17% at run 12). A shift in only some series,
/// or in different directions (a real commit: pp64 −11%, tg16 +22%), is the commit's.
/// </summary>
public static class MachineCauses
{
    /// <summary>Fewer series on a machine than this cannot tell a machine from a commit.</summary>
    public const int MinimumSeries = 3;

    /// <summary>Share of a machine's series that must shift together.</summary>
    public const double MinimumShare = 0.75;

    /// <summary>Shifts this many commits apart count as one (a noisy series places its shift a commit or two off).</summary>
    public const int Tolerance = 3;

    /// <summary>The largest shift may be at most this many times the smallest.</summary>
    public const double MaximumSpread = 2.0;

    /// <summary>
    /// The series with their change points marked. <paramref name="position"/> places a commit in the shared commit order;
    /// series are compared within one machine and metric.
    /// </summary>
    public static IReadOnlyList<SeriesTrend> Mark(IReadOnlyList<SeriesTrend> series, IReadOnlyDictionary<string, int> position)
    {
        var result = series.ToList();
        foreach (var group in series.Select((s, i) => (s, i)).GroupBy(x => (x.s.Series.Machine, x.s.Series.Metric.Name)))
        {
            var members = group.ToList();
            if (members.Count < MinimumSeries)
            {
                continue;
            }

            // Where each series starts and ends and where its levels shift, in the shared order, once per group: judging
            // every change point against every series' points was O(change points × series × points) (6 s for 1,000 series
            // of 500 commits).
            var extents = members.Select(m => SeriesExtent.Of(m.s, position)).ToList();
            foreach (var (s, i) in members)
            {
                var marked = s.ChangePoints.Select(cp => Judge(cp, s, extents, position, group.Key.Machine)).ToList();
                result[i] = s with { ChangePoints = marked };
            }
        }

        return result;
    }

    /// <summary>A series' first and last commit and its level shifts, as positions in the shared order.</summary>
    private sealed record SeriesExtent(int First, int Last, IReadOnlyList<(double LogChange, int At)> Levels)
    {
        public static SeriesExtent Of(SeriesTrend s, IReadOnlyDictionary<string, int> position) => s.Series.Points.Count == 0 ? new(int.MaxValue, -1, [])
            : new(position[s.Series.Points[0].Commit], position[s.Series.Points[^1].Commit],
                [.. s.Levels.Select(l => (l.LogChange, position[s.Series.Points[l.Index].Commit]))]);
    }

    private static TrendChangePoint Judge(TrendChangePoint cp, SeriesTrend owner, List<SeriesExtent> machine, IReadOnlyDictionary<string, int> position, string? machineName)
    {
        var at = position[cp.Commit];
        var up = cp.ChangePercent > 0;
        var present = 0;
        var contrary = 0;
        var shifts = new List<double>();
        foreach (var s in machine)
        {
            if (s.First >= at || s.Last < at)
            {
                continue;
            }

            present++;
            // A move the other way near the same commit, in any series, is evidence of a real change: a machine moves everything alike.
            var near = s.Levels.Select(l => (l.LogChange, Distance: Math.Abs(l.At - at))).Where(l => l.Distance <= Tolerance).ToList();
            if (near.Any(l => l.LogChange > 0 != up))
            {
                contrary++;
            }
            else if (near.Count > 0)
            {
                shifts.Add(near.OrderBy(l => l.Distance).First().LogChange);
            }
        }

        if (present < MinimumSeries || contrary > 0 || shifts.Count < MinimumShare * present)
        {
            return cp;
        }

        var sizes = shifts.Select(Math.Abs).ToList();
        if (sizes.Max() > MaximumSpread * sizes.Min())
        {
            return cp;
        }

        var (lo, hi) = (shifts.Min(), shifts.Max());
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"{shifts.Count} of {present} benchmarks on {machineName ?? "this machine"} ({owner.Series.Metric.Name}) shifted within {Tolerance} commits of {Reports.ReportText.Commit(cp.Commit)}, all {(up ? "up" : "down")}, by {Percent(lo)} to {Percent(hi)}: the machine probably changed, not the code. To confirm, run both builds interleaved on one machine (benchgate run --bench NEW --interleave OLD), or keep a fixed reference build beside each run (ci push --reference-bench)");
        return cp with { Cause = SuspectedCause.Machine, Evidence = evidence };
    }

    private static string Percent(double log) => ((Math.Exp(log) - 1) * 100).ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "%";

}
