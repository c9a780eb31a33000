namespace BenchGate.Ingest.Readers;

/// <summary>Reads <c>llama-bench -o jsonl</c>: one object per line; appended runs are fine.</summary>
public static class JsonlReader
{
    public static IEnumerable<RawRecord> Read(Stream stream)
    {
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

            yield return JsonObjectParser.Parse(span, lines.LineNumber);
        }
    }
}
