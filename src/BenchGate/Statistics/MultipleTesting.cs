namespace BenchGate.Statistics;

/// <summary>Control of false discoveries over all benchmarks × metrics of one comparison.</summary>
public static class MultipleTesting
{
    /// <summary>
    /// Benjamini–Hochberg adjusted p-values (q-values): rejecting every q ≤ α keeps the expected share of
    /// false discoveries at or below α. NaN p-values (nothing tested) stay NaN and do not count.
    /// </summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> p)
    {
        var tested = Enumerable.Range(0, p.Count).Where(i => !double.IsNaN(p[i])).OrderBy(i => p[i]).ToArray();
        var q = Enumerable.Repeat(double.NaN, p.Count).ToArray();
        var m = tested.Length;
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var i = tested[rank - 1];
            running = Math.Min(running, p[i] * m / rank);
            q[i] = running;
        }

        return q;
    }
}
