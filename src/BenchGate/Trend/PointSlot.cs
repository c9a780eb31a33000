using BenchGate.Detection;

namespace BenchGate.Trend;

/// <summary>
/// What one point of a series needs while its runs are being read: the runs' values in the order they came, whether
/// every run had samples, and the first run's spread with and without them (a point of one run takes its spread).
/// </summary>
internal struct PointSlot(int commit)
{
    public static readonly IComparer<PointSlot> ByCommit = Comparer<PointSlot>.Create((a, b) => a.Commit.CompareTo(b.Commit));

    // Unknown spreads are NaN and unknown repetitions -1 rather than nullables: a slot is kept per point of every series
    // (10,000,000 of them for a 10-million-row history), and nullables made it half as large again.
    private double _first;
    private double _sdWithSamples;
    private double _sdWithout;
    private int _repsWithSamples;
    private List<double>? _more;

    public int Commit { get; } = commit;

    public int Count { get; private set; }

    /// <summary>Whether every result of the point (with a value or not) had samples: the point then uses them.</summary>
    public bool AllSamples { get; set; } = true;

    public void Add(RunValue withSamples, RunValue without)
    {
        if (Count++ == 0)
        {
            (_first, _sdWithSamples, _repsWithSamples, _sdWithout) = (withSamples.Value, withSamples.WithinLogSd ?? double.NaN, withSamples.Repetitions ?? -1, without.WithinLogSd ?? double.NaN);
            return;
        }

        (_more ??= []).Add(withSamples.Value);
    }

    private static double? Known(double sd) => double.IsNaN(sd) ? null : sd;

    /// <summary>The point, or null when no run had a value.</summary>
    public readonly TrendPoint? Point(string commit, double alpha)
    {
        if (Count == 0)
        {
            return null;
        }

        Span<double> values = Count <= 64 ? stackalloc double[Count] : new double[Count];
        values[0] = _first;
        for (var i = 1; i < Count; i++)
        {
            values[i] = _more![i - 1];
        }

        // Without samples a run's repetitions are unknown (llama-bench's default, 5, is assumed).
        return AllSamples
            ? TrendSeriesBuilder.Point(commit, values, Known(_sdWithSamples), _repsWithSamples < 0 ? null : _repsWithSamples, alpha)
            : TrendSeriesBuilder.Point(commit, values, Known(_sdWithout), null, alpha);
    }
}
