namespace BenchGate.Ingest.Readers;

/// <summary>
/// llama-bench writes the same fields in the same order on every line, mostly with the same text values
/// (cpu_info, model_filename, type_k...). Remembering the previous line's bytes per position turns most
/// name and value decoding into one byte comparison.
/// </summary>
internal sealed class RecordShapeCache
{
    private const int MaxPositions = 128;
    private readonly Slot[] _names = new Slot[MaxPositions];
    private readonly Slot[] _values = new Slot[MaxPositions];
    private readonly Utf8Interner _interner = new();

    public string Name(int position, ReadOnlySpan<byte> utf8) => Get(_names, position, utf8);

    public string Value(int position, ReadOnlySpan<byte> utf8) => Get(_values, position, utf8);

    private string Get(Slot[] slots, int position, ReadOnlySpan<byte> utf8)
    {
        if (position >= MaxPositions)
        {
            return _interner.Get(utf8);
        }

        ref var slot = ref slots[position];
        if (slot.Text is not null && utf8.SequenceEqual(slot.Utf8))
        {
            return slot.Text;
        }

        var text = _interner.Get(utf8);
        slot = new Slot(utf8.ToArray(), text);
        return text;
    }

    private readonly record struct Slot(byte[] Utf8, string? Text);
}
