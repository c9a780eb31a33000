using BenchGate.Ingest.Readers;

namespace BenchGate.Ingest;

/// <summary>The reader for each text format.</summary>
public static class TextFormatReaders
{
    public static IEnumerable<RawRecord> Open(InputFormat format, Stream stream) => format switch
    {
        InputFormat.Json => JsonArrayReader.Read(stream),
        InputFormat.Jsonl => JsonlReader.Read(stream),
        InputFormat.Csv => CsvReader.Read(stream),
        InputFormat.Sql => SqlTextReader.Read(stream),
        InputFormat.Md => MarkdownReader.Read(stream),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a text format"),
    };
}
