using BenchGate.Ingest;

namespace BenchGate.Workflows.Ingest;

/// <summary>
/// stdin for <c>llama-bench -o jsonl | benchgate ingest -</c>: text streams straight through; a SQLite
/// database (which can only be opened as a file) is first copied to a temporary file.
/// </summary>
internal static class StdinSource
{
    public static IngestOutcome Ingest(Ingestor ingestor, Stream stdin, IngestOptions options)
    {
        var head = new byte[FormatDetector.SqliteHeader.Length];
        var n = stdin.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var stream = new PrefixedStream(head[..n], stdin);
        if (!FormatDetector.IsSqlite(head.AsSpan(0, n)))
        {
            return ingestor.IngestStream("-", stream, options);
        }

        var temp = Path.Combine(Path.GetTempPath(), $"benchgate-stdin-{Guid.NewGuid():N}.sqlite");
        try
        {
            using (var file = File.Create(temp))
            {
                stream.CopyTo(file);
            }

            return ingestor.IngestFile(temp, options) with { Source = "-" };
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(temp);
        }
    }

    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _pos;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_pos < prefix.Length)
            {
                var n = Math.Min(count, prefix.Length - _pos);
                Array.Copy(prefix, _pos, buffer, offset, n);
                _pos += n;
                return n;
            }

            return inner.Read(buffer, offset, count);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
