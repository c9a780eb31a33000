using System.Buffers.Text;

namespace BenchGate.Storage.Shared;

/// <summary>
/// Formats a samples array as compact JSON UTF-8 (<c>[1114679,1052266]</c>) into a reused buffer: one
/// string per row and element was a measurable part of ingest time.
/// </summary>
internal sealed class SampleJson
{
    private byte[] _buffer = new byte[512];

    public ReadOnlySpan<byte> Write(long[]? values) => Write(values, default);

    // "R" round-trips: the stored sample equals the parsed one bit for bit.
    public ReadOnlySpan<byte> Write(double[]? values) => Write(values, "R");

    private ReadOnlySpan<byte> Write<T>(T[]? values, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        if (values is null)
        {
            return default;
        }

        Ensure(2 + (values.Length * 33));
        var n = 0;
        _buffer[n++] = (byte)'[';
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                _buffer[n++] = (byte)',';
            }

            values[i].TryFormat(_buffer.AsSpan(n), out var written, format, System.Globalization.CultureInfo.InvariantCulture);
            n += written;
        }

        _buffer[n++] = (byte)']';
        return _buffer.AsSpan(0, n);
    }

    /// <summary>Reads back what <see cref="Write(double[])"/> wrote (a JSON array of numbers).</summary>
    public static double[] Parse(ReadOnlySpan<byte> json)
    {
        json = json.Trim("[] \n"u8);
        var values = json.IsEmpty ? [] : new double[json.Count((byte)',') + 1];
        Fill(json, values);
        return values;
    }

    /// <summary>As <see cref="Parse"/>, for nanoseconds (one array a row instead of a double[] and its long[] copy).</summary>
    public static long[] ParseIntegers(ReadOnlySpan<byte> json)
    {
        json = json.Trim("[] \n"u8);
        if (json.IsEmpty)
        {
            return [];
        }

        var count = json.Count((byte)',') + 1;
        Span<double> parsed = count <= 1024 ? stackalloc double[count] : new double[count];
        Fill(json, parsed);
        var values = new long[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (long)parsed[i];
        }

        return values;
    }

    private static void Fill(ReadOnlySpan<byte> json, Span<double> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var comma = json.IndexOf((byte)',');
            var part = (comma < 0 ? json : json[..comma]).Trim(" "u8);
            if (!Utf8Parser.TryParse(part, out values[i], out _))
            {
                throw new FormatException("samples are not a JSON array of numbers");
            }

            json = comma < 0 ? default : json[(comma + 1)..];
        }
    }

    private void Ensure(int size)
    {
        if (_buffer.Length < size)
        {
            _buffer = new byte[size * 2];
        }
    }
}
