namespace BenchGate.Model;

/// <summary>Which schema fields a compactly stored <see cref="BenchmarkRecord"/> holds, and where.</summary>
internal sealed class FieldLayout
{
    private readonly int[] _slots;

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
