namespace BenchGate.Ingest.Readers;

/// <summary>Reads <c>llama-bench -o jsonl</c>: one object per line; appended runs are fine.</summary>
public static class JsonlReader
{
    /// <summary>
    /// The lines' records, each parsed into the same object: a record is valid until the next one is read (every reader
    /// of records normalises each before it asks for the next). A new record and its field list a line were ~1.3 KB of
    /// garbage a row, copied by each collection while the ingest pipeline held it.
    /// </summary>
    public static IEnumerable<RawRecord> Read(Stream stream)
    {
        var record = new RawRecord(0);
        var lines = new LineSplitter(stream);
        while (lines.TryReadLine(out var line))
        {
            var span = line.Span.Trim(" \t"u8);
            if (span.IsEmpty)
            {
                continue;
            }

            if (lines.LineNumber == 1 && span.StartsWith("\uFEFF"u8))
            {
                span = span[3..];
            }

            yield return JsonObjectParser.Parse(span, lines.LineNumber, record);
        }
    }
}
