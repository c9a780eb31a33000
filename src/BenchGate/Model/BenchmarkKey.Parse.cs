using System.Text;
using BenchGate.Ingest.Readers;

namespace BenchGate.Model;

public sealed partial class BenchmarkKey
{
    private const byte Separator = 0x1f;

    private static readonly byte[][] KeyNamesUtf8 = [.. LlamaBenchSchema.KeyFields.Select(f => Encoding.UTF8.GetBytes(f.Name))];

    /// <summary>The key stored as <see cref="Canonical"/> (benchmark_keys.canonical), without re-reading the record.</summary>
    public static BenchmarkKey Parse(string canonical)
    {
        var key = Parse(Encoding.UTF8.GetBytes(canonical), new Utf8Interner());
        key._canonical = canonical;
        return key;
    }

    /// <summary>
    /// As <see cref="Parse(string)"/>, from the stored UTF-8 bytes, with the values shared through <paramref name="interner"/>:
    /// the keys of one read repeat most of their values (cpu_info, model, backend…), and a 1 KB text per key kept or split
    /// into thirty strings was most of what reading 20,000 keys allocated (~75 MB).
    /// </summary>
    internal static BenchmarkKey Parse(ReadOnlySpan<byte> canonical, Utf8Interner interner)
    {
        var names = KeyNamesUtf8;
        var values = new string[names.Length];
        var rest = canonical;
        for (var i = 0; i < names.Length; i++)
        {
            var end = rest.IndexOf(Separator);
            if ((end < 0) != (i == names.Length - 1))
            {
                throw new FormatException($"a benchmark key has {names.Length} fields, this one {canonical.Count(Separator) + 1}");
            }

            var part = end < 0 ? rest : rest[..end];
            if (!part.StartsWith(names[i]) || part.Length == names[i].Length || part[names[i].Length] != (byte)'=')
            {
                throw new FormatException($"field {i + 1} of a benchmark key should be {LlamaBenchSchema.KeyFields[i].Name}");
            }

            values[i] = interner.Get(part[(names[i].Length + 1)..]);
            rest = end < 0 ? [] : rest[(end + 1)..];
        }

        return new BenchmarkKey(values, null);
    }
}
