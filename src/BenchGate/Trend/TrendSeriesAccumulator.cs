using System.Runtime.InteropServices;
using BenchGate.Detection;
using BenchGate.Model;

namespace BenchGate.Trend;

/// <summary>
/// Builds trend's series from runs handed to it one at a time: per benchmark, machine, commit and metric it keeps what
/// the point needs (its run values, and a lone run's spread) instead of the runs' records, so a history of millions of
/// results is held as its points, not as its rows. Points are computed as <see cref="TrendSeriesBuilder"/> always has.
/// </summary>
public sealed class TrendSeriesAccumulator
{
    private readonly IReadOnlyList<Metric> _metrics;
    private readonly TrendFilter? _filter;
    private readonly Dictionary<(BenchmarkKey Key, string? Machine), Group> _groups = [];
    private readonly Dictionary<string, int> _commitIds = new(StringComparer.Ordinal);
    private readonly List<string> _commits = [];
    private bool _built;

    public TrendSeriesAccumulator(IReadOnlyList<Metric> metrics, TrendFilter? filter = null)
    {
        if (metrics.Count == 0)
        {
            throw new ArgumentException("at least one metric", nameof(metrics));
        }

        (_metrics, _filter) = (metrics, filter);
    }

    /// <summary>The commits of the runs added that had a matching result, in the order they were first added.</summary>
    public IReadOnlyList<string> Commits => _commits;

    /// <summary>Adds a run's results (those the filter matches; a run without a commit is left out).</summary>
    public void Add(TrendRun run)
    {
        ThrowIfBuilt();
        if (run.Run.Commit is not { } commit)
        {
            return;
        }

        var commitId = -1;
        foreach (var record in run.Run.Records)
        {
            if (_filter is not null && !_filter.Matches(record.Key))
            {
                continue;
            }

            if (commitId < 0 && !_commitIds.TryGetValue(commit, out commitId))
            {
                _commitIds[commit] = commitId = _commits.Count;
                _commits.Add(commit);
            }

            if (!_groups.TryGetValue((record.Key, run.Machine), out var group))
            {
                _groups[(record.Key, run.Machine)] = group = new Group(_metrics.Count);
            }

            var at = group.SlotOf(commitId);
            // As detect decides: a point uses samples when every result of it has samples_ns.
            var samples = record.SamplesNs is not null;
            for (var m = 0; m < _metrics.Count; m++)
            {
                ref var slot = ref CollectionsMarshal.AsSpan(group.Slots[m])[at];
                slot.AllSamples &= samples;
                // The value is the same with or without samples; only a lone run's spread differs, so both are kept.
                if (_metrics[m].ValueOf(record, run.Run.RunId, useSamples: true) is not { Value: > 0 } withSamples)
                {
                    continue;
                }

                var without = record.SamplesNs is null && record.SamplesTs is null ? withSamples : _metrics[m].ValueOf(record, run.Run.RunId, useSamples: false)!.Value;
                slot.Add(withSamples, without);
            }
        }
    }

    /// <summary>The series over <paramref name="order"/> (commits outside it are left out), ordered by title and machine; once.</summary>
    public IReadOnlyList<TrendSeries> Build(IReadOnlyList<string> order, string? branch, double alpha)
    {
        ThrowIfBuilt();
        _built = true;
        var position = new int[_commits.Count];
        Array.Fill(position, -1);
        for (var i = 0; i < order.Count; i++)
        {
            if (_commitIds.TryGetValue(order[i], out var id))
            {
                position[id] = i;
            }
        }

        // Titles tell apart the benchmarks shown: those with a point on the history, not those only run off it.
        var shown = _groups.Where(g => g.Value.Slots[0].Exists(s => position[s.Commit] >= 0)).ToList();
        var titles = BenchmarkTitle.For([.. shown.Select(g => g.Key.Key).Distinct()]);
        var series = new List<TrendSeries>();
        foreach (var ((key, machine), group) in shown.OrderBy(g => titles[g.Key.Key], StringComparer.Ordinal).ThenBy(g => g.Key.Machine, StringComparer.Ordinal))
        {
            var slots = group.Slots[0].Select((s, i) => (Position: position[s.Commit], Index: i)).Where(x => x.Position >= 0).OrderBy(x => x.Position).ToList();
            for (var m = 0; m < _metrics.Count; m++)
            {
                var points = new List<TrendPoint>(slots.Count);
                foreach (var (at, index) in slots)
                {
                    if (group.Slots[m][index].Point(order[at], alpha) is { } point)
                    {
                        points.Add(point);
                    }
                }

                if (points.Count > 0)
                {
                    series.Add(new TrendSeries(TrendSeriesBuilder.SeriesId(key, _metrics[m], machine, branch), key, titles[key], _metrics[m], machine, branch, points));
                }
            }

            // Each group's slots are let go once its points exist: the peak is the points, not points and slots twice over.
            group.Release();
        }

        return series;
    }

    // Build hands each group's slots over to its points; a second Build would find them gone.
    private void ThrowIfBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("the series were built: a new accumulator reads the runs again");
        }
    }

    private sealed class Group(int metrics)
    {
        /// <summary>Per metric, one slot per commit, ordered by commit id (the same for every metric).</summary>
        public List<PointSlot>[] Slots { get; private set; } = [.. Enumerable.Range(0, metrics).Select(_ => new List<PointSlot>())];

        /// <summary>
        /// The slot of a commit. Commit ids grow in the order commits are first added, so a new commit comes last (the
        /// common case, no search); a commit's rows come together, so the last slot is tried first; else searched.
        /// </summary>
        public int SlotOf(int commit)
        {
            var slots = Slots[0];
            var at = slots.Count == 0 || slots[^1].Commit < commit ? ~slots.Count
                : slots[^1].Commit == commit ? slots.Count - 1
                : slots.BinarySearch(new PointSlot(commit), PointSlot.ByCommit);
            if (at >= 0)
            {
                return at;
            }

            foreach (var list in Slots)
            {
                list.Insert(~at, new PointSlot(commit));
            }

            return ~at;
        }

        public void Release() => Slots = [];
    }
}
