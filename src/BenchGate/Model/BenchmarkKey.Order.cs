namespace BenchGate.Model;

/// <summary>The order of keys: their canonical texts' ordinal order, computed from the values.</summary>
public sealed partial class BenchmarkKey
{
    /// <summary>
    /// Orders keys as their <see cref="Canonical"/> texts compare ordinally, without composing them: field by field, each
    /// value as if followed by the separator that follows it in the text.
    /// </summary>
    public static IComparer<BenchmarkKey> CanonicalOrder { get; } = Comparer<BenchmarkKey>.Create(CompareCanonical);

    private static int CompareCanonical(BenchmarkKey? a, BenchmarkKey? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }

        for (var i = 0; i < a._values.Length; i++)
        {
            var x = a._values[i].AsSpan();
            var y = b._values[i].AsSpan();
            var common = Math.Min(x.Length, y.Length);
            var c = x[..common].SequenceCompareTo(y[..common]);
            if (c != 0)
            {
                return c;
            }

            if (x.Length != y.Length)
            {
                // The shorter value ends where the text goes on with the separator (or ends, after the last field).
                if (i == a._values.Length - 1)
                {
                    return x.Length.CompareTo(y.Length);
                }

                var next = (x.Length > common ? x[common] : '\u001f').CompareTo(y.Length > common ? y[common] : '\u001f');
                // A value holding the separator itself: only the texts can tell.
                return next != 0 ? next : string.CompareOrdinal(a.Canonical, b.Canonical);
            }
        }

        return 0;
    }
}
