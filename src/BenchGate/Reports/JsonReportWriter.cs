using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace BenchGate.Reports;

/// <summary>How every JSON report is written: indented, with non-ASCII text (benchmark titles, ⚠️) kept as it is.</summary>
internal static class JsonReportWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Utf8JsonWriter Create(Stream output) => new(output, Options);

    /// <summary>A report written to a stream, as text (for tests and callers that want a string).</summary>
    public static string ToText(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
