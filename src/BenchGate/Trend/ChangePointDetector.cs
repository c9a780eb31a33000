using BenchGate.Statistics;

namespace BenchGate.Trend;

/// <summary>How change points are searched and confirmed.</summary>
/// <param name="MaxPValue">A change point must separate its two neighbouring segments at this two-sided p (Otava's default 0.001).</param>
/// <param name="MinSegment">Points on each side of a change point: a single outlying run can never be a level of its own.</param>
/// <param name="Window">Points the divisive search looks at at once (windows overlap by half, on a fixed grid): bounds the work per point.</param>
public sealed record ChangePointOptions(double MaxPValue = 0.001, int MinSegment = 3, int Window = 50)
{
    /// <summary>Windows start every half window.</summary>
    public int Step => Math.Max(1, Window / 2);

    public static ChangePointOptions Default { get; } = new();

    /// <summary>The first pass keeps candidates up to ten times weaker (Otava): the merge then decides with the final segments.</summary>
    public double FirstPassPValue => Math.Min(0.5, MaxPValue * 10);
}

/// <summary>A confirmed level shift: <see cref="Index"/> is the first point of the new level.</summary>
/// <param name="Index">First point after the shift.</param>
/// <param name="PValue">Two-sided p of the two neighbouring segments having one mean (pooled Student t).</param>
/// <param name="LogChange">Mean of the segment after minus mean of the segment before (log scale).</param>
/// <param name="StandardError">Of <paramref name="LogChange"/>.</param>
/// <param name="DegreesOfFreedom">Of the pooled variance.</param>
/// <param name="Before">Points in the segment before.</param>
/// <param name="After">Points in the segment after.</param>
public sealed record ChangePoint(int Index, double PValue, double LogChange, double StandardError, double DegreesOfFreedom, int Before, int After);

/// <summary>
/// Change points of one series by E-divisive means (Matteson &amp; James 2014) with the significance test and
/// weak-point merging of Apache Otava (formerly Hunter): a windowed divisive search proposes the split that
/// maximises the energy statistic Q̂ (α = 1) within each segment, a Student t test between the neighbouring segments
/// keeps it, and the weakest change points are dropped and their neighbours re-tested until every one left passes.
/// Work is O(n · window) for a series of n points. The windows sit on a fixed grid (every half window), so a window's
/// candidates depend on its points alone: <see cref="Detect(ReadOnlySpan{double}, IReadOnlyList{int}?, int)"/> re-searches
/// only the windows a grown series changed, keeps the others' candidates, and ends exactly where a full analysis does.
/// </summary>
public sealed class ChangePointDetector(ChangePointOptions? options = null)
{
    private readonly ChangePointOptions _o = options ?? ChangePointOptions.Default;

    /// <summary>Confirmed change points of <paramref name="x"/>, in index order.</summary>
    public IReadOnlyList<ChangePoint> Detect(ReadOnlySpan<double> x) => Detect(x, null, 0).Confirmed;

    /// <summary>
    /// Change points of a series, reusing <paramref name="previousCandidates"/> (the <see cref="Analysis.Candidates"/> of an
    /// earlier analysis of this series' first <paramref name="previousLength"/> points): only the tail is searched again.
    /// </summary>
    public Analysis Detect(ReadOnlySpan<double> x, IReadOnlyList<int>? previousCandidates, int previousLength)
    {
        var prefix = new Prefix(x);
        var candidates = new SortedSet<int>();
        var step = _o.Step;
        var start = 0;
        if (previousCandidates is not null && previousLength > 0 && previousLength <= x.Length)
        {
            // Windows that ended within the old points saw the same points then as now: their candidates stand. The first
            // window that reached past them changed; the window before it overlaps it and may have found points at or past
            // its start, so the search restarts one window earlier and keeps only the candidates before that window's end.
            var firstChanged = Math.Max(0, previousLength - _o.Window + 1);
            firstChanged = ((firstChanged + step - 1) / step) * step;
            start = Math.Max(0, firstChanged - step);
            foreach (var c in previousCandidates.Where(c => c > 0 && c < firstChanged))
            {
                candidates.Add(c);
            }
        }

        Split(x, start, candidates);
        var weak = candidates.ToList();
        return new Analysis(Merge(prefix, weak, x.Length), weak);
    }

    /// <summary>The result of one analysis: the confirmed change points and every candidate (kept for the next, incremental, analysis).</summary>
    public sealed record Analysis(IReadOnlyList<ChangePoint> Confirmed, IReadOnlyList<int> Candidates);

    /// <summary>Windowed divisive search from grid point <paramref name="start"/>: windows of Window points every half window.</summary>
    private void Split(ReadOnlySpan<double> x, int start, SortedSet<int> candidates)
    {
        for (; start < x.Length; start += _o.Step)
        {
            var end = Math.Min(start + _o.Window, x.Length);
            foreach (var c in Divide(x[start..end], start))
            {
                candidates.Add(c);
            }

            if (end == x.Length)
            {
                break;
            }
        }
    }

    /// <summary>E-divisive inside one window: keep splitting the segment with the strongest candidate while it passes the first-pass test.</summary>
    private List<int> Divide(ReadOnlySpan<double> w, int offset)
    {
        var prefix = new Prefix(w);
        var cuts = new List<int>();
        while (true)
        {
            var bounds = Bounds(cuts, w.Length);
            (int Tau, double Q, int Lo, int Hi) best = (-1, double.NegativeInfinity, 0, 0);
            for (var s = 0; s + 1 < bounds.Count; s++)
            {
                var (tau, q) = BestSplit(w[bounds[s]..bounds[s + 1]]);
                if (tau > 0 && q > best.Q)
                {
                    best = (bounds[s] + tau, q, bounds[s], bounds[s + 1]);
                }
            }

            if (best.Tau < 0 || Test(prefix, best.Lo, best.Tau, best.Hi).PValue > _o.FirstPassPValue)
            {
                break;
            }

            cuts.Add(best.Tau);
            cuts.Sort();
        }

        return [.. cuts.Select(c => c + offset)];
    }

    /// <summary>
    /// The split τ of a segment that maximises Q̂(τ) = mn/(m+n) · (2/mn · Σ|xᵢ − yⱼ| − 1/C(m,2) · Σ|xᵢ − xₖ| − 1/C(n,2) · Σ|yⱼ − yₖ|),
    /// both sides at least MinSegment long. Running sums make it O(L²).
    /// </summary>
    private (int Tau, double Q) BestSplit(ReadOnlySpan<double> s)
    {
        var n = s.Length;
        if (n < 2 * _o.MinSegment)
        {
            return (-1, 0);
        }

        // within[t]: Σ over pairs inside s[0..t); cross and right follow as t moves.
        double left = 0, cross = 0, right = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                right += Math.Abs(s[i] - s[j]);
            }
        }

        var bestTau = -1;
        var bestQ = double.NegativeInfinity;
        for (var t = 1; t < n; t++)
        {
            // Move s[t − 1] from the right side to the left.
            var v = s[t - 1];
            double toLeft = 0, toRight = 0;
            for (var i = 0; i < t - 1; i++)
            {
                toLeft += Math.Abs(v - s[i]);
            }

            for (var j = t; j < n; j++)
            {
                toRight += Math.Abs(v - s[j]);
            }

            right -= toRight;
            cross += toRight - toLeft;
            left += toLeft;
            var (m, k) = (t, n - t);
            if (m < _o.MinSegment || k < _o.MinSegment)
            {
                continue;
            }

            var q = m * k / (double)(m + k) * ((2 * cross / (m * k)) - (left / (m * (m - 1) / 2.0)) - (right / (k * (k - 1) / 2.0)));
            if (q > bestQ)
            {
                (bestTau, bestQ) = (t, q);
            }
        }

        return (bestTau, bestQ);
    }

    /// <summary>Drops the weakest candidates until every change point left separates its neighbouring segments at MaxPValue.</summary>
    private List<ChangePoint> Merge(Prefix prefix, List<int> candidates, int n)
    {
        var cps = candidates.Where(c => c >= _o.MinSegment && c <= n - _o.MinSegment).Distinct().Order().ToList();
        while (cps.Count > 0)
        {
            var bounds = Bounds(cps, n);
            var worst = -1;
            var worstP = double.NegativeInfinity;
            for (var i = 0; i < cps.Count; i++)
            {
                var (lo, hi) = (bounds[i], bounds[i + 2]);
                // Segments shorter than MinSegment (two candidates too close) fail outright.
                var p = cps[i] - lo < _o.MinSegment || hi - cps[i] < _o.MinSegment ? 1 : Test(prefix, lo, cps[i], hi).PValue;
                if (double.IsNaN(p) || p > worstP)
                {
                    (worst, worstP) = (i, double.IsNaN(p) ? 1 : p);
                }
            }

            if (worstP <= _o.MaxPValue)
            {
                break;
            }

            cps.RemoveAt(worst);
        }

        var final = Bounds(cps, n);
        return [.. cps.Select((c, i) => Test(prefix, final[i], c, final[i + 2]))];
    }

    private static List<int> Bounds(List<int> cuts, int n)
    {
        var b = new List<int>(cuts.Count + 2) { 0 };
        b.AddRange(cuts);
        b.Add(n);
        return b;
    }

    /// <summary>Pooled Student t test of segments [lo, at) and [at, hi).</summary>
    private static ChangePoint Test(Prefix p, int lo, int at, int hi)
    {
        var (m, k) = (at - lo, hi - at);
        var (meanA, ssA) = p.Moments(lo, at);
        var (meanB, ssB) = p.Moments(at, hi);
        var df = m + k - 2;
        var change = meanB - meanA;
        if (df <= 0)
        {
            return new ChangePoint(at, 1, change, double.PositiveInfinity, 0, m, k);
        }

        var pooled = (ssA + ssB) / df;
        var se = Math.Sqrt(pooled * ((1.0 / m) + (1.0 / k)));
        var pValue = se == 0 ? (change == 0 ? 1 : 0) : StudentT.TwoSidedP(change / se, df);
        return new ChangePoint(at, pValue, change, se, df, m, k);
    }

    /// <summary>Prefix sums of x and x², for any segment's mean and sum of squares in O(1).</summary>
    private sealed class Prefix
    {
        private readonly double[] _s;
        private readonly double[] _s2;
        private readonly double _shift;

        public Prefix(ReadOnlySpan<double> x)
        {
            // Centred on the first value: log speeds are around 8–12, and x² sums lose precision otherwise.
            _shift = x.IsEmpty ? 0 : x[0];
            _s = new double[x.Length + 1];
            _s2 = new double[x.Length + 1];
            for (var i = 0; i < x.Length; i++)
            {
                var v = x[i] - _shift;
                _s[i + 1] = _s[i] + v;
                _s2[i + 1] = _s2[i] + (v * v);
            }
        }

        public (double Mean, double SumOfSquares) Moments(int lo, int hi)
        {
            var n = hi - lo;
            var sum = _s[hi] - _s[lo];
            var mean = sum / n;
            return (mean + _shift, Math.Max(0, _s2[hi] - _s2[lo] - (sum * mean)));
        }
    }
}
