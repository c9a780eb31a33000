using System.Security.Cryptography;

namespace BenchGate.Ingest;

/// <summary>
/// A read-only stream that first replays a prefix already read (for format detection), then the
/// inner stream, hashing every byte with SHA-256 so a source is identified without a second read.
/// </summary>
public sealed class HashingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _prefix = [];
    private int _prefixPos;

    public HashingReadStream(Stream inner) => _inner = inner;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads up to <paramref name="count"/> bytes to look at; they are read again afterwards.</summary>
    public byte[] Peek(int count)
    {
        var buffer = new byte[count];
        var n = 0;
        int r;
        while (n < count && (r = _inner.Read(buffer, n, count - n)) > 0)
        {
            n += r;
        }

        _prefix = buffer[..n];
        _prefixPos = 0;
        return _prefix;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        if (_prefixPos < _prefix.Length)
        {
            n = Math.Min(buffer.Length, _prefix.Length - _prefixPos);
            _prefix.AsSpan(_prefixPos, n).CopyTo(buffer);
            _prefixPos += n;
        }
        else
        {
            n = _inner.Read(buffer);
        }

        _hash.AppendData(buffer[..n]);
        BytesRead += n;
        return n;
    }

    /// <summary>Reads what is left and returns the SHA-256 of everything, as lowercase hex.</summary>
    public string Finish()
    {
        var rest = new byte[1 << 16];
        while (Read(rest, 0, rest.Length) > 0)
        {
        }

        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
