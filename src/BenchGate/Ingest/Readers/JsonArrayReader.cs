namespace BenchGate.Ingest.Readers;

/// <summary>
/// Reads <c>llama-bench -o json</c> as a stream: a scanner finds each top-level object's bytes
/// (tracking strings and nesting only), and each object is parsed on its own.
/// </summary>
public static class JsonArrayReader
{
    public static IEnumerable<RawRecord> Read(Stream stream)
    {
        var scanner = new JsonArrayScanner(stream);
        var count = 0;
        while (scanner.TryNextObject(out var json, out var line))
        {
            count++;
            yield return JsonObjectParser.Parse(json.Span, line);
        }

        if (count == 0 && !scanner.SawEnd)
        {
            throw new InputException(
                "the JSON holds only its opening '[': llama-bench printed its header and failed before any test finished (e.g. 'failed to load model'; see its stderr)",
                $"line {scanner.Line}");
        }
    }
}
