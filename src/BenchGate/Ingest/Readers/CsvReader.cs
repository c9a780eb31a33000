using System.Text;
using BenchGate.Model;

namespace BenchGate.Ingest.Readers;

/// <summary>
/// Reads <c>llama-bench -o csv</c>: a header of field names, then one line per test with every
/// value in double quotes (embedded quotes doubled). Values stay text; the normaliser types them.
/// </summary>
public static class CsvReader
{
    public static IEnumerable<RawRecord> Read(Stream stream)
    {
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var line = 0;
        string[]? header = null;
        var fields = new List<string>(48);
        while (ReadRecord(text, fields, ref line, out var startLine))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            if (header is null)
            {
                header = [.. fields.Select(f => f.Trim())];
                var dup = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (dup is not null)
                {
                    throw new InputException($"the header names column '{dup.Key}' twice (llama-bench of 2025-04-28 wrote a broken field list; its output cannot be trusted)", $"line {startLine}");
                }

                continue;
            }

            if (fields.Count != header.Length)
            {
                throw new InputException($"expected {header.Length} values as in the header, found {fields.Count}", $"line {startLine}");
            }

            var record = new RawRecord(startLine);
            for (var i = 0; i < header.Length; i++)
            {
                record.Add(header[i], FieldValue.FromText(fields[i]));
            }

            yield return record;
        }

        if (header is null)
        {
            throw new InputException("the CSV has no header line");
        }
    }

    /// <summary>
    /// One record (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks) into <paramref name="fields"/>;
    /// false at the end of the input.
    /// </summary>
    /// <exception cref="InputException">A quoted field is not closed before the input ends.</exception>
    internal static bool ReadRecord(TextReader reader, List<string> fields, ref int line, out int startLine)
    {
        fields.Clear();
        startLine = line + 1;
        var c = reader.Read();
        if (c < 0)
        {
            return false;
        }

        line++;
        var sb = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        while (true)
        {
            if (c < 0)
            {
                if (quoted)
                {
                    throw new InputException("a quoted value is not closed at the end of the input (truncated CSV?)", $"line {startLine}");
                }

                fields.Add(sb.ToString());
                return true;
            }

            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        sb.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    sb.Append(ch);
                }
            }
            else if (ch == '"' && sb.Length == 0 && !wasQuoted)
            {
                quoted = wasQuoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
                wasQuoted = false;
            }
            else if (ch == '\n')
            {
                fields.Add(sb.ToString().TrimEnd('\r'));
                return true;
            }
            else
            {
                sb.Append(ch);
            }

            c = reader.Read();
        }
    }
}
