using System.Text;

namespace BenchGate.Ingest.Readers;

/// <summary>
/// Returns one shared string for repeated short UTF-8 values (field names, "AMD EPYC", "f16", model
/// names): a million-row file repeats the same few hundred strings, and allocating each again is most
/// of the garbage an ingest makes.
/// </summary>
internal sealed class Utf8Interner
{
    private const int MaxLength = 96;
    private const int MaxEntries = 8192;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Utf8Interner() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxLength];
        var n = Encoding.UTF8.GetChars(utf8, chars);
        if (_lookup.TryGetValue(chars[..n], out var known))
        {
            return known;
        }

        var s = new string(chars[..n]);
        if (_strings.Count < MaxEntries)
        {
            _strings[s] = s;
        }

        return s;
    }
}
