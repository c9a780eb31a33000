using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace BenchGate.Model;

/// <summary>
/// What makes two llama-bench results comparable: hardware (cpu_info, gpu_info), backend, model
/// (file name without directory, model_type) and every test parameter, after normalisation of
/// the renames across llama-bench versions. A field an older llama-bench did not write takes its
/// implied value (see <see cref="LlamaBenchField.Implied"/>), so 2024 and 2026 rows meet when their
/// configurations match. See docs/benchmark-key.md.
/// </summary>
public sealed partial class BenchmarkKey : IEquatable<BenchmarkKey>
{
    private const int CacheLimit = 100_000;

    // A results file holds few distinct keys in many rows: build and hash each key once, found by its values.
    private static readonly ConcurrentDictionary<KeyValues, BenchmarkKey> Cache = new();

    private static int _cached;

    private readonly string[] _values;
    private readonly int _hashCode;
    private string? _canonical;
    private string? _hash;

    private BenchmarkKey(string[] values, string? canonical)
    {
        _values = values;
        _canonical = canonical;
        var h = default(HashCode);
        foreach (var v in values)
        {
            h.Add(v, StringComparer.Ordinal);
        }

        _hashCode = h.ToHashCode();
    }

    /// <summary>One string holding every key field as name=value, in schema order.</summary>
    // Composed on first use (~1 KB a key): compare of 20,000 keys needs none, only storing and hashing do.
    public string Canonical => _canonical ??= Compose(_values);

    /// <summary>16 hex characters of SHA-256 over <see cref="Canonical"/>: stable across machines and versions.</summary>
    // Computed on first use: compare never needs it, and 10,000 SHA-256s (with the crypto library's first load) cost ~0.1 s.
    public string Hash => _hash ??= ComputeHash();

    /// <summary>The key fields with their values; "?" marks a value the input did not carry.</summary>
    public IEnumerable<KeyValuePair<string, string>> Fields =>
        LlamaBenchSchema.KeyFields.Select((f, i) => KeyValuePair.Create(f.Name, _values[i]));

    public string this[string name] =>
        KeyIndex.TryGetValue(name, out var i) ? _values[i] : throw new ArgumentException($"{name} is not a key field", nameof(name));

    /// <summary>The position of a key field by name (reports look fields up by name hundreds of thousands of times).</summary>
    public static int IndexOf(string name) => KeyIndex.TryGetValue(name, out var i) ? i : -1;

    private static readonly Dictionary<string, int> KeyIndex =
        LlamaBenchSchema.KeyFields.Select((f, i) => (f.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

    [ThreadStatic]
    private static FieldValue[]? _scratch;

    public static BenchmarkKey From(BenchmarkRecord record)
    {
        var keys = LlamaBenchSchema.KeyFields;
        var resolved = _scratch ??= new FieldValue[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var field = keys[i];
            var value = record.Get(field.Ordinal);
            if (value.IsNull)
            {
                value = field.Name switch
                {
                    "n_ubatch" => record.Get(FieldOrdinals.NBatch),
                    // md names no file: two models of one model_type are told apart by size and parameters, as md prints them.
                    "model_filename" when !record.Get(FieldOrdinals.ModelSize).IsNull => FieldValue.FromText(UnnamedModel(record)),
                    _ => field.Implied,
                };
            }

            resolved[i] = value;
        }

        // Look up with the scratch array; only a key seen for the first time keeps a copy.
        if (Cache.TryGetValue(new KeyValues(resolved), out var known))
        {
            return known;
        }

        var lookup = new KeyValues((FieldValue[])resolved.Clone());
        resolved = lookup.Values;

        var values = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            values[i] = resolved[i].IsNull ? "?" : KeyText(keys[i], resolved[i]);
        }

        // ConcurrentDictionary.Count takes every lock: with two sides read at once it cost more than the keys themselves.
        if (Interlocked.Increment(ref _cached) >= CacheLimit)
        {
            Cache.Clear();
            Interlocked.Exchange(ref _cached, 0);
        }

        return Cache.GetOrAdd(lookup, _ => new BenchmarkKey(values, null));
    }

    /// <summary>The resolved key values of a record, compared value by value (interned strings compare by reference first).</summary>
    private readonly struct KeyValues(FieldValue[] values) : IEquatable<KeyValues>
    {
        private readonly FieldValue[] _values = values;
        private readonly int _hash = HashOf(values);

        public FieldValue[] Values => _values;

        public bool Equals(KeyValues other) => _values.AsSpan().SequenceEqual(other._values);

        public override bool Equals(object? obj) => obj is KeyValues other && Equals(other);

        public override int GetHashCode() => _hash;

        private static int HashOf(FieldValue[] values)
        {
            var h = default(HashCode);
            foreach (var v in values)
            {
                h.Add(v);
            }

            return h.ToHashCode();
        }
    }

    /// <summary>The value of the key field at <paramref name="index"/> (schema order of <see cref="LlamaBenchSchema.KeyFields"/>).</summary>
    public string ValueAt(int index) => _values[index];

    /// <summary>
    /// Whether <paramref name="keys"/> hold more than one value of the key field at <paramref name="index"/> (compared by
    /// position: titles and compare's columns ask this of 20,000 keys × 30 fields).
    /// </summary>
    public static bool Varies(IEnumerable<BenchmarkKey> keys, int index)
    {
        string? value = null;
        foreach (var k in keys)
        {
            var v = k.ValueAt(index);
            if (value is null)
            {
                value = v;
            }
            else if (!string.Equals(v, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Compose(string[] values) => ComposeInto(new StringBuilder(512), values).ToString();

    [ThreadStatic]
    private static StringBuilder? _composing;

    // A report hashes every key it lists (20,000 in a large detect): the text is composed into one reused builder and
    // encoded into a pooled buffer, instead of a string and a byte array (~3 KB) a key that nothing keeps.
    private string ComputeHash()
    {
        if (_canonical is not null)
        {
            return ShortHash(Encoding.UTF8.GetBytes(_canonical));
        }

        var sb = ComposeInto((_composing ??= new StringBuilder(1024)).Clear(), _values);
        var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(sb.Length));
        try
        {
            // One encoder over the chunks: a surrogate pair split between two chunks is still one character.
            var (encoder, n) = (Encoding.UTF8.GetEncoder(), 0);
            foreach (var chunk in sb.GetChunks())
            {
                n += encoder.GetBytes(chunk.Span, bytes.AsSpan(n), flush: false);
            }

            n += encoder.GetBytes([], bytes.AsSpan(n), flush: true);
            return ShortHash(bytes.AsSpan(0, n));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static string ShortHash(ReadOnlySpan<byte> utf8)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    private static StringBuilder ComposeInto(StringBuilder sb, string[] values)
    {
        var keys = LlamaBenchSchema.KeyFields;
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\u001f');
            }

            sb.Append(keys[i].Name).Append('=').Append(values[i]);
        }

        return sb;
    }

    // Most key fields are small integers (threads, batch sizes, flags, prompt lengths) shared by every key: one text each.
    private static readonly string?[] SmallIntegers = new string?[8193];

    private static string KeyText(LlamaBenchField field, FieldValue value)
    {
        if (value.Kind is ValueKind.Integer or ValueKind.Boolean && value.Integer is >= -1 and < 8192)
        {
            var i = (int)value.Integer + 1;
            return SmallIntegers[i] ??= value.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var text = value.Kind == ValueKind.Boolean ? value.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture) : value.ToString();
        // The -m argument is recorded as given; the directory says where the runner keeps models, not which model.
        return field.Name == "model_filename" ? ModelName(text) : text;
    }

    /// <summary>"?4.69 MiB 1.23 M": a model without a file name, by its size and parameter count as llama-bench's md prints them.</summary>
    private static string UnnamedModel(BenchmarkRecord record)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var size = record.Get(FieldOrdinals.ModelSize).Integer / 1024.0 / 1024.0;
        var parameters = record.Get("model_n_params") is { IsNull: false } p ? $" {p.Integer / 1e6:F2} M" : "";
        return string.Create(inv, $"?{size:F2} MiB{parameters}");
    }

    public static string ModelName(string path)
    {
        var slash = path.LastIndexOfAny(['/', '\\']);
        return slash >= 0 ? path[(slash + 1)..] : path;
    }

    // The values, not the composed text: equal values give equal texts, and no key needs its text to be compared.
    public bool Equals(BenchmarkKey? other) => ReferenceEquals(this, other) || (other is not null && _hashCode == other._hashCode && _values.AsSpan().SequenceEqual(other._values));

    public override bool Equals(object? obj) => Equals(obj as BenchmarkKey);

    public override int GetHashCode() => _hashCode;

    public override string ToString() => Canonical;
}
