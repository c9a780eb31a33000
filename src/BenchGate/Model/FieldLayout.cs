namespace BenchGate.Model;

/// <summary>Which schema fields a compactly stored <see cref="BenchmarkRecord"/> holds, and where.</summary>
internal sealed class FieldLayout
{
    private readonly int[] _slots;

    /// <summary>The fields detect (and compare, which runs detect on t/s) reads from a record.</summary>
    public static readonly FieldLayout Detect = Of("build_commit", "build_number", "model_size", "avg_ns", "stddev_ns", "avg_ts", "stddev_ts");

    /// <summary>Detect's fields and test_time, by which compare orders the builds of a file it read whole.</summary>
    public static readonly FieldLayout Compare = Of("build_commit", "build_number", "model_size", "avg_ns", "stddev_ns", "avg_ts", "stddev_ts", "test_time");

    private static FieldLayout Of(params string[] names) => new([.. names.Select(n => LlamaBenchSchema.Fields[LlamaBenchSchema.Ordinal(n)])]);

    public FieldLayout(IReadOnlyList<LlamaBenchField> fields)
    {
        Fields = fields;
        _slots = Enumerable.Repeat(-1, LlamaBenchSchema.Count).ToArray();
        for (var i = 0; i < fields.Count; i++)
        {
            _slots[fields[i].Ordinal] = i;
        }
    }

    public IReadOnlyList<LlamaBenchField> Fields { get; }

    /// <summary>The position of a field in the record's values, or −1 when the layout does not hold it.</summary>
    public int Slot(int ordinal) => _slots[ordinal];
}
