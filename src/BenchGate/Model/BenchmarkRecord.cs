namespace BenchGate.Model;

/// <summary>
/// One llama-bench test result in canonical form: the 40 fields of <see cref="LlamaBenchSchema"/>
/// (null where the input did not carry a field), the per-repetition samples when the input had them,
/// and every field the schema does not know, kept as read.
/// </summary>
public sealed class BenchmarkRecord
{
    private readonly FieldValue[] _values;

    public BenchmarkRecord(FieldValue[] values, IReadOnlyList<KeyValuePair<string, FieldValue>> extras,
        long[]? samplesNs, double[]? samplesTs, long? reportedStddevNs, int sourceLine)
        : this(values, extras, samplesNs, samplesTs, reportedStddevNs, sourceLine, key: null)
    {
    }

    /// <summary>A record whose key is already known (read back from a BenchGate database).</summary>
    internal BenchmarkRecord(FieldValue[] values, IReadOnlyList<KeyValuePair<string, FieldValue>> extras,
        long[]? samplesNs, double[]? samplesTs, long? reportedStddevNs, int sourceLine, BenchmarkKey? key)
    {
        if (values.Length != LlamaBenchSchema.Count)
        {
            throw new ArgumentException($"expected {LlamaBenchSchema.Count} values", nameof(values));
        }

        _values = values;
        Extras = extras;
        SamplesNs = samplesNs;
        SamplesTs = samplesTs;
        ReportedStddevNs = reportedStddevNs;
        SourceLine = sourceLine;
        Key = key ?? BenchmarkKey.From(this);
    }

    /// <summary>Fields that are not in the canonical schema (newer columns, or legacy ones such as use_mmap).</summary>
    public IReadOnlyList<KeyValuePair<string, FieldValue>> Extras { get; }

    /// <summary>Wall time of each repetition in ns (json/jsonl only).</summary>
    public long[]? SamplesNs { get; }

    /// <summary>Tokens per second of each repetition (json/jsonl only).</summary>
    public double[]? SamplesTs { get; }

    /// <summary>
    /// stddev_ns as llama-bench printed it, when the stored stddev_ns was recomputed from
    /// the samples (llama-bench computes it in uint64 arithmetic, which truncates and can overflow).
    /// </summary>
    public long? ReportedStddevNs { get; }

    /// <summary>1-based line (text formats) or row (databases) the record came from.</summary>
    public int SourceLine { get; }

    public BenchmarkKey Key { get; }

    /// <summary>Number of repetitions (the length of samples_ns), or null when the format does not record it.</summary>
    public int? Repetitions => SamplesNs?.Length;

    public FieldValue Get(int ordinal) => _values[ordinal];

    public FieldValue Get(string name) => _values[LlamaBenchSchema.Ordinal(name)];

    /// <summary>The canonical values in schema order (a copy is not made: do not modify).</summary>
    public ReadOnlySpan<FieldValue> Values => _values;

    public string? BuildCommit => _values[FieldOrdinals.BuildCommit].Text;

    public long? BuildNumber => _values[FieldOrdinals.BuildNumber].IsNull ? null : _values[FieldOrdinals.BuildNumber].Integer;

    public long NPrompt => _values[FieldOrdinals.NPrompt].Integer;

    public long NGen => _values[FieldOrdinals.NGen].Integer;

    public long NDepth => _values[FieldOrdinals.NDepth].Integer;

    public double AvgTs => _values[FieldOrdinals.AvgTs].Real;

    public double? StddevTs => _values[FieldOrdinals.StddevTs].IsNull ? null : _values[FieldOrdinals.StddevTs].Real;

    public long? AvgNs => _values[FieldOrdinals.AvgNs].IsNull ? null : _values[FieldOrdinals.AvgNs].Integer;

    /// <summary>Names of canonical fields the input did not carry.</summary>
    public IEnumerable<string> MissingFields =>
        LlamaBenchSchema.Fields.Where(f => _values[f.Ordinal].IsNull).Select(f => f.Name);
}
