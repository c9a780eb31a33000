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
public sealed class BenchmarkKey : IEquatable<BenchmarkKey>
{
    private readonly string[] _values;

    private BenchmarkKey(string[] values)
    {
        _values = values;
        Canonical = string.Join('\u001f', LlamaBenchSchema.KeyFields.Select((f, i) => f.Name + "=" + values[i]));
        Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical)).AsSpan(0, 8));
    }

    /// <summary>One string holding every key field as name=value, in schema order.</summary>
    public string Canonical { get; }

    /// <summary>16 hex characters of SHA-256 over <see cref="Canonical"/>: stable across machines and versions.</summary>
    public string Hash { get; }

    /// <summary>The key fields with their values; "?" marks a value the input did not carry.</summary>
    public IEnumerable<KeyValuePair<string, string>> Fields =>
        LlamaBenchSchema.KeyFields.Select((f, i) => KeyValuePair.Create(f.Name, _values[i]));

    public string this[string name] =>
        _values[LlamaBenchSchema.KeyFields.Select((f, i) => (f, i)).First(p => p.f.Name == name).i];

    public static BenchmarkKey From(BenchmarkRecord record)
    {
        var keys = LlamaBenchSchema.KeyFields;
        var values = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var field = keys[i];
            var value = record.Get(field.Ordinal);
            if (value.IsNull)
            {
                value = field.Name == "n_ubatch" ? record.Get(FieldOrdinals.NBatch) : field.Implied;
            }

            values[i] = value.IsNull ? "?" : KeyText(field, value);
        }

        return new BenchmarkKey(values);
    }

    private static string KeyText(LlamaBenchField field, FieldValue value)
    {
        var text = value.Kind == ValueKind.Boolean ? value.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture) : value.ToString();
        // The -m argument is recorded as given; the directory says where the runner keeps models, not which model.
        return field.Name == "model_filename" ? ModelName(text) : text;
    }

    public static string ModelName(string path)
    {
        var slash = path.LastIndexOfAny(['/', '\\']);
        return slash >= 0 ? path[(slash + 1)..] : path;
    }

    public bool Equals(BenchmarkKey? other) => other is not null && Canonical == other.Canonical;

    public override bool Equals(object? obj) => Equals(obj as BenchmarkKey);

    public override int GetHashCode() => Canonical.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Canonical;
}
