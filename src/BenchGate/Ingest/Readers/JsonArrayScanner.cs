namespace BenchGate.Ingest.Readers;

/// <summary>Finds the byte ranges of the objects of a top-level JSON array in a stream.</summary>
internal sealed class JsonArrayScanner(Stream stream)
{
    private byte[] _buffer = new byte[1 << 16];
    private int _pos;
    private int _end;
    private bool _eof;
    private bool _started;

    public int Line { get; private set; } = 1;

    public bool SawEnd { get; private set; }

    public bool TryNextObject(out ReadOnlyMemory<byte> json, out int startLine)
    {
        json = default;
        startLine = Line;
        if (SawEnd)
        {
            return ExpectEndOfInput();
        }

        if (!_started)
        {
            SkipWhitespaceAndBom();
            if (!TryPeek(out var first) || first != '[')
            {
                throw Error(first == 0 ? "the input is empty" : "a JSON llama-bench output starts with '['");
            }

            _pos++;
            _started = true;
        }
        else
        {
            SkipWhitespace();
            if (!TryPeek(out var sep))
            {
                throw Truncated();
            }

            if (sep == ']')
            {
                _pos++;
                SawEnd = true;
                return ExpectEndOfInput();
            }

            if (sep != ',')
            {
                throw Error($"expected ',' or ']' between objects, found '{(char)sep}'");
            }

            _pos++;
        }

        SkipWhitespace();
        if (!TryPeek(out var open))
        {
            if (_started)
            {
                return false;
            }

            throw Truncated();
        }

        if (open == ']')
        {
            _pos++;
            SawEnd = true;
            return ExpectEndOfInput();
        }

        if (open != '{')
        {
            throw Error($"expected an object '{{', found '{(char)open}'");
        }

        startLine = Line;
        json = ScanObject();
        return true;
    }

    private ReadOnlyMemory<byte> ScanObject()
    {
        Compact();
        var depth = 0;
        var inString = false;
        var escape = false;
        var i = _pos;
        while (true)
        {
            if (i == _end)
            {
                var offset = i - _pos;
                if (!FillKeeping())
                {
                    throw Truncated();
                }

                i = _pos + offset;
                continue;
            }

            var b = _buffer[i++];
            if (b == '\n')
            {
                Line++;
            }

            if (inString)
            {
                if (escape)
                {
                    escape = false;
                }
                else if (b == '\\')
                {
                    escape = true;
                }
                else if (b == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"': inString = true; break;
                case (byte)'{' or (byte)'[': depth++; break;
                case (byte)'}' or (byte)']':
                    if (--depth == 0)
                    {
                        var result = new ReadOnlyMemory<byte>(_buffer, _pos, i - _pos);
                        _pos = i;
                        return result;
                    }

                    break;
            }
        }
    }

    private bool ExpectEndOfInput()
    {
        SkipWhitespace();
        if (TryPeek(out var extra))
        {
            throw Error($"unexpected '{(char)extra}' after the closing ']'");
        }

        return false;
    }

    private InputException Truncated() => new(
        "truncated JSON: the array ends without its closing ']' (llama-bench stops like this when a test fails or the process is killed)",
        $"line {Line}");

    private InputException Error(string problem) => new($"invalid JSON: {problem}", $"line {Line}");

    private void SkipWhitespaceAndBom()
    {
        if (TryPeek(out _) && _end - _pos >= 3 && _buffer[_pos] == 0xEF && _buffer[_pos + 1] == 0xBB && _buffer[_pos + 2] == 0xBF)
        {
            _pos += 3;
        }

        SkipWhitespace();
    }

    private void SkipWhitespace()
    {
        while (TryPeek(out var b) && b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            if (b == '\n')
            {
                Line++;
            }

            _pos++;
        }
    }

    private bool TryPeek(out byte b)
    {
        if (_pos == _end && !FillKeeping())
        {
            b = 0;
            return false;
        }

        b = _buffer[_pos];
        return true;
    }

    private void Compact()
    {
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
            _end -= _pos;
            _pos = 0;
        }
    }

    /// <summary>Reads more bytes, keeping everything from <see cref="_pos"/> on.</summary>
    private bool FillKeeping()
    {
        if (_eof)
        {
            return false;
        }

        Compact();
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        return true;
    }
}
