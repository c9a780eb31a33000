namespace BenchGate.Model;

/// <summary>
/// One llama-bench test result in canonical form: the 40 fields of <see cref="LlamaBenchSchema"/>
/// (null where the input did not carry a field), the per-repetition samples when the input had them,
/// and every field the schema does not know, kept as read.
/// </summary>
public sealed class BenchmarkRecord
{
    private readonly FieldValue[] _values;

    // Null: _values holds every field in schema order. Else _values holds only the layout's fields (a record read back
    // for detect or trend needs 7 of 40: 656 bytes a row was most of what a 500,000-row history allocated).
    private readonly FieldLayout? _layout;

    public BenchmarkRecord(FieldValue[] values, IReadOnlyList<KeyValuePair<string, FieldValue>> extras,
        long[]? samplesNs, double[]? samplesTs, long? reportedStddevNs, int sourceLine)
        : this(values, extras, samplesNs, samplesTs, reportedStddevNs, sourceLine, key: null)
    {
    }

    /// <summary>A record whose key is already known (read back from a BenchGate database).</summary>
    internal BenchmarkRecord(FieldValue[] values, IReadOnlyList<KeyValuePair<string, FieldValue>> extras,
        long[]? samplesNs, double[]? samplesTs, long? reportedStddevNs, int sourceLine, BenchmarkKey? key)
        : this(null, values, extras, samplesNs, samplesTs, reportedStddevNs, sourceLine, key)
    {
    }

    /// <summary>A record read back with only <paramref name="layout"/>'s fields (the others read as null).</summary>
    internal BenchmarkRecord(FieldLayout? layout, FieldValue[] values, IReadOnlyList<KeyValuePair<string, FieldValue>> extras,
        long[]? samplesNs, double[]? samplesTs, long? reportedStddevNs, int sourceLine, BenchmarkKey? key)
    {
        var expected = layout?.Fields.Count ?? LlamaBenchSchema.Count;
        if (values.Length != expected)
        {
            throw new ArgumentException($"expected {expected} values", nameof(values));
        }

        _layout = layout;
        _values = values;
        Extras = extras;
        SamplesNs = samplesNs;
        SamplesTs = samplesTs;
        ReportedStddevNs = reportedStddevNs;
        SourceLine = sourceLine;
        Key = key ?? BenchmarkKey.From(this);
    }

    /// <summary>
    /// This record with only <paramref name="layout"/>'s fields and no extras, its key kept: for readers that hold many
    /// rows at once and use a few fields (compare holds 120,000; each whole record is ~0.8 KB).
    /// </summary>
    internal BenchmarkRecord Keeping(FieldLayout layout)
    {
        var values = new FieldValue[layout.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Get(layout.Fields[i].Ordinal);
        }

        return new BenchmarkRecord(layout, values, [], SamplesNs, SamplesTs, ReportedStddevNs, SourceLine, Key);
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

    public FieldValue Get(int ordinal) => _layout is null ? _values[ordinal] : _layout.Slot(ordinal) is var slot and >= 0 ? _values[slot] : FieldValue.Null;

    public FieldValue Get(string name) => Get(LlamaBenchSchema.Ordinal(name));

    /// <summary>
    /// The canonical values in schema order (not a copy: do not modify). A record read back with a few fields (detect's,
    /// trend's) builds the whole row here: writers, the only readers of this, get whole records.
    /// </summary>
    public ReadOnlySpan<FieldValue> Values => _layout is null ? _values : LlamaBenchSchema.Fields.Select(f => Get(f.Ordinal)).ToArray();

    public string? BuildCommit => Get(FieldOrdinals.BuildCommit).Text;

    public long? BuildNumber => Get(FieldOrdinals.BuildNumber) is { IsNull: false } v ? v.Integer : null;

    public long NPrompt => Get(FieldOrdinals.NPrompt).Integer;

    public long NGen => Get(FieldOrdinals.NGen).Integer;

    public long NDepth => Get(FieldOrdinals.NDepth).Integer;

    public double AvgTs => Get(FieldOrdinals.AvgTs).Real;

    public double? StddevTs => Get(FieldOrdinals.StddevTs) is { IsNull: false } v ? v.Real : null;

    public long? AvgNs => Get(FieldOrdinals.AvgNs) is { IsNull: false } v ? v.Integer : null;

    /// <summary>Names of canonical fields the input did not carry.</summary>
    public IEnumerable<string> MissingFields =>
        LlamaBenchSchema.Fields.Where(f => Get(f.Ordinal).IsNull).Select(f => f.Name);
}
