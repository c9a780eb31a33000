namespace BenchGate.Statistics;

/// <summary>
/// Two-sided Mann–Whitney U test with the normal approximation and tie correction. BenchGate does not
/// decide with it (it ignores that repetitions of one run are not independent); the detection benchmark
/// uses it as the textbook comparison.
/// </summary>
public static class MannWhitney
{
    public static double TwoSidedP(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 == 0 || n2 == 0)
        {
            return double.NaN;
        }

        var all = x.Select(v => (v, g: 0)).Concat(y.Select(v => (v, g: 1))).OrderBy(p => p.v).ToArray();
        var ranks = new double[all.Length];
        var tieTerm = 0.0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j + 1 < all.Length && all[j + 1].v == all[i].v)
            {
                j++;
            }

            var rank = (i + j + 2) / 2.0;
            for (var k = i; k <= j; k++)
            {
                ranks[k] = rank;
            }

            var t = j - i + 1;
            tieTerm += (t * t * t) - t;
            i = j + 1;
        }

        var r1 = 0.0;
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i].g == 0)
            {
                r1 += ranks[i];
            }
        }

        var u = r1 - (n1 * (n1 + 1) / 2.0);
        var n = n1 + n2;
        var mean = n1 * n2 / 2.0;
        var sd = Math.Sqrt(n1 * n2 / 12.0 * ((n + 1) - (tieTerm / (n * (n - 1.0)))));
        if (sd == 0)
        {
            return 1;
        }

        var z = (Math.Abs(u - mean) - 0.5) / sd;
        return Math.Min(1, 2 * (1 - Normal.Cdf(Math.Max(0, z))));
    }
}
