using System.Buffers.Text;

namespace BenchGate.Storage.Sqlite;

/// <summary>
/// Formats a samples array as compact JSON UTF-8 (<c>[1114679,1052266]</c>) into a reused buffer: one
/// string per row and element was a measurable part of ingest time.
/// </summary>
internal sealed class SampleJson
{
    private byte[] _buffer = new byte[512];

    public ReadOnlySpan<byte> Write(long[]? values)
    {
        if (values is null)
        {
            return default;
        }

        Ensure(2 + (values.Length * 21));
        var n = 0;
        _buffer[n++] = (byte)'[';
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                _buffer[n++] = (byte)',';
            }

            Utf8Formatter.TryFormat(values[i], _buffer.AsSpan(n), out var written);
            n += written;
        }

        _buffer[n++] = (byte)']';
        return _buffer.AsSpan(0, n);
    }

    public ReadOnlySpan<byte> Write(double[]? values)
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

            // "R" round-trips: the stored sample equals the parsed one bit for bit.
            values[i].TryFormat(_buffer.AsSpan(n), out var written, "R", System.Globalization.CultureInfo.InvariantCulture);
            n += written;
        }

        _buffer[n++] = (byte)']';
        return _buffer.AsSpan(0, n);
    }

    private void Ensure(int size)
    {
        if (_buffer.Length < size)
        {
            _buffer = new byte[size * 2];
        }
    }
}
