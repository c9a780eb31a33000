using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>
/// Turns a <see cref="RawRecord"/> of any llama-bench version (2023 to today) into the canonical
/// <see cref="BenchmarkRecord"/>: types every known field, maps renamed fields (per-backend flags →
/// backends, use_mmap/use_direct_io → load_mode, f16_kv → type_k/type_v, flash_attn bool → int),
/// keeps unknown fields, recomputes dispersion from samples, and rejects values no real run can
/// produce (NaN, zero or negative times, wrong types).
/// </summary>
public static class RecordNormalizer
{
    /// <summary>Old per-backend flags, in the order ggml registers its backends.</summary>
    private static readonly (string Flag, string Backend)[] BackendFlags =
    [
        ("cuda", "CUDA"), ("metal", "Metal"), ("sycl", "SYCL"), ("vulkan", "Vulkan"), ("opencl", "OpenCL"),
        ("kompute", "Kompute"), ("blas", "BLAS"), ("gpu_blas", "GPU BLAS"),
    ];

    // Readers hand over the same string instances for field names line after line; a reference lookup beats hashing them.
    [ThreadStatic]
    private static Dictionary<string, LlamaBenchField?>? _fieldsByName;

    private static bool TryGetField(string name, out LlamaBenchField field)
    {
        var cache = _fieldsByName ??= new Dictionary<string, LlamaBenchField?>(ReferenceEqualityComparer.Instance);
        if (!cache.TryGetValue(name, out var known))
        {
            known = LlamaBenchSchema.TryGet(name, out var f) ? f : null;
            if (cache.Count < 4096)
            {
                cache[name] = known;
            }
        }

        field = known!;
        return known is not null;
    }

    public static BenchmarkRecord Normalize(RawRecord raw) => Normalize(raw, new FieldValue[LlamaBenchSchema.Count]);

    [ThreadStatic]
    private static FieldValue[]? _scratch;

    /// <summary>
    /// The record with only <paramref name="layout"/>'s fields and no extras (its key from every field): for readers that
    /// hold many rows and use a few fields. The whole row is normalised into a reused array, not a new one a row.
    /// </summary>
    internal static BenchmarkRecord Normalize(RawRecord raw, FieldLayout layout)
    {
        var scratch = _scratch ??= new FieldValue[LlamaBenchSchema.Count];
        Array.Clear(scratch);
        return Normalize(raw, scratch).Keeping(layout);
    }

    private static BenchmarkRecord Normalize(RawRecord raw, FieldValue[] values)
    {
        Span<bool> seen = stackalloc bool[LlamaBenchSchema.Count];
        List<KeyValuePair<string, FieldValue>>? extras = null;
        LegacyFields? legacy = null;
        foreach (var (name, value) in raw.Fields)
        {
            // PostgreSQL cannot store a NUL in text and SQLite cuts strings at it: refuse it here, named, not in the database.
            if (value.Kind == ValueKind.Text && value.Text is { } s && s.Contains('\0', StringComparison.Ordinal))
            {
                throw Error(raw, name, "contains a NUL byte: not text llama-bench writes");
            }

            if (TryGetField(name, out var field))
            {
                if (seen[field.Ordinal])
                {
                    throw Error(raw, name, "the field appears twice (llama-bench of 2025-04-28 wrote a broken field list; its output cannot be trusted)");
                }

                seen[field.Ordinal] = true;
                values[field.Ordinal] = FieldConverter.Convert(field, value, raw);
                continue;
            }

            extras ??= [];
            if (HasField(extras, name))
            {
                throw Error(raw, name, "the field appears twice");
            }

            extras.Add(KeyValuePair.Create(name, value));
            (legacy ??= new LegacyFields()).Observe(name, value, raw);
        }

        legacy?.Apply(values);
        var (samplesNs, samplesTs, reportedStddevNs) = Measurements.Complete(values, raw);
        return new BenchmarkRecord(values, extras ?? [], samplesNs, samplesTs, reportedStddevNs, raw.Line);
    }

    // A loop, not extras.Any(e => e.Key == name): a lambda capturing the loop's field name made the compiler allocate
    // its closure for every field of every row (~1.3 KB a row), whether or not the row had extras.
    private static bool HasField(List<KeyValuePair<string, FieldValue>> extras, string name)
    {
        foreach (var e in extras)
        {
            if (e.Key == name)
            {
                return true;
            }
        }

        return false;
    }

    internal static InputException Error(RawRecord raw, string? field, string problem) =>
        new(problem, field is null ? $"{raw.LocationUnit} {raw.Line}" : $"{raw.LocationUnit} {raw.Line}, field {field}");

    /// <summary>Fields that older llama-bench versions wrote and that map onto canonical ones.</summary>
    private sealed class LegacyFields
    {
        private readonly List<string> _backends = [];
        private bool _sawBackendFlag;
        private bool? _useMmap;
        private bool? _useDirectIo;
        private bool? _f16Kv;

        public void Observe(string name, FieldValue value, RawRecord raw)
        {
            switch (name)
            {
                case "use_mmap": _useMmap = FieldConverter.ToFlag(value, raw, name); return;
                case "use_direct_io": _useDirectIo = FieldConverter.ToFlag(value, raw, name); return;
                case "f16_kv": _f16Kv = FieldConverter.ToFlag(value, raw, name); return;
                case "rpc":
                    _sawBackendFlag = true;
                    var servers = value.ToString();
                    if (servers is not ("" or "0" or "false"))
                    {
                        _backends.Add("RPC");
                    }

                    return;
            }

            foreach (var (flag, backend) in BackendFlags)
            {
                if (flag == name)
                {
                    _sawBackendFlag = true;
                    if (FieldConverter.ToFlag(value, raw, name) == true)
                    {
                        _backends.Add(backend);
                    }
                }
            }
        }

        public void Apply(FieldValue[] values)
        {
            if (values[FieldOrdinals.Backends].IsNull && _sawBackendFlag)
            {
                // Registration order, RPC last, whatever order the input had; "GPU BLAS" only named the GPU BLAS
                // path of a backend already listed.
                var ordered = BackendFlags.Select(b => b.Backend).Append("RPC").Where(_backends.Contains).ToList();
                if (ordered.Count > 1)
                {
                    ordered.Remove("GPU BLAS");
                }

                values[FieldOrdinals.Backends] = FieldValue.FromText(ordered.Count == 0 ? "CPU" : string.Join(",", ordered));
            }

            if (values[FieldOrdinals.LoadMode].IsNull && (_useMmap is not null || _useDirectIo is not null))
            {
                values[FieldOrdinals.LoadMode] = FieldValue.FromText(_useDirectIo == true ? "dio" : _useMmap == false ? "none" : "mmap");
            }

            if (_f16Kv is { } f16)
            {
                var type = FieldValue.FromText(f16 ? "f16" : "f32");
                values[FieldOrdinals.TypeK] = values[FieldOrdinals.TypeK].IsNull ? type : values[FieldOrdinals.TypeK];
                values[FieldOrdinals.TypeV] = values[FieldOrdinals.TypeV].IsNull ? type : values[FieldOrdinals.TypeV];
            }
        }
    }
}
