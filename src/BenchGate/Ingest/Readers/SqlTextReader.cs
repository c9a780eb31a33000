using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BenchGate.Model;

namespace BenchGate.Ingest.Readers;

/// <summary>
/// Reads the text of <c>llama-bench -o sql</c> without a database: a CREATE TABLE, then one INSERT per
/// test. llama-bench single-quotes every value and escapes nothing, so a value may contain a quote
/// (<c>'mod'q.gguf'</c>); a quote closes a value only when a comma or the closing parenthesis follows.
/// </summary>
public static partial class SqlTextReader
{
    public static IEnumerable<RawRecord> Read(Stream stream) => ReadRows(stream, backendOps: false);

    /// <summary>The rows of <c>test-backend-ops perf --output sql</c> (table test_backend_ops), same dialect.</summary>
    public static IEnumerable<RawRecord> ReadBackendOps(Stream stream) => ReadRows(stream, backendOps: true);

    private static IEnumerable<RawRecord> ReadRows(Stream stream, bool backendOps)
    {
        using var text = new StreamReader(stream, Encoding.UTF8, true, 1 << 16, leaveOpen: true);
        var tables = new Dictionary<string, List<(string Name, string Type)>>(StringComparer.OrdinalIgnoreCase);
        var lineNo = 0;
        string? line;
        while ((line = text.ReadLine()) is not null)
        {
            lineNo++;
            var s = line.Trim();
            if (s.Length == 0 || s.StartsWith("--", StringComparison.Ordinal) || IsIgnorable(s))
            {
                continue;
            }

            if (s.StartsWith("CREATE TABLE", StringComparison.OrdinalIgnoreCase))
            {
                var start = lineNo;
                var sb = new StringBuilder(s);
                while (!s.EndsWith(';') && (line = text.ReadLine()) is not null)
                {
                    lineNo++;
                    s = line.Trim();
                    sb.Append(' ').Append(s);
                }

                var (name, columns) = ParseCreate(sb.ToString(), start);
                tables[name] = columns;
                continue;
            }

            if (!s.StartsWith("INSERT INTO", StringComparison.OrdinalIgnoreCase))
            {
                throw new InputException($"unexpected SQL statement \"{Shorten(s)}\": llama-bench writes only CREATE TABLE and INSERT", $"line {lineNo}");
            }

            yield return ParseInsert(s, lineNo, tables, backendOps);
        }
    }

    private static bool IsIgnorable(string s) =>
        s.StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase) || s.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase)
        || s.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase) || s.StartsWith("CREATE INDEX", StringComparison.OrdinalIgnoreCase);

    private static (string Name, List<(string, string)> Columns) ParseCreate(string sql, int line)
    {
        var m = CreateRegex().Match(sql);
        if (!m.Success)
        {
            throw new InputException("cannot read this CREATE TABLE statement", $"line {line}");
        }

        var columns = new List<(string, string)>();
        foreach (var part in m.Groups["cols"].Value.Split(','))
        {
            var words = part.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0)
            {
                columns.Add((words[0].Trim('"', '`', '[', ']'), words.Length > 1 ? words[1].Trim().ToUpperInvariant() : ""));
            }
        }

        var dup = columns.GroupBy(c => c.Item1, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
        {
            throw new InputException($"CREATE TABLE names column '{dup.Key}' twice (llama-bench of 2025-04-28 wrote a broken field list; its output cannot be trusted)", $"line {line}");
        }

        return (m.Groups["name"].Value.Trim('"', '`'), columns);
    }

    private static RawRecord ParseInsert(string s, int line, Dictionary<string, List<(string Name, string Type)>> tables, bool backendOps)
    {
        var m = InsertRegex().Match(s);
        if (!m.Success)
        {
            throw new InputException("cannot read this INSERT statement (truncated line?)", $"line {line}");
        }

        var table = m.Groups["name"].Value.Trim('"', '`');
        if (table.Equals("test_backend_ops", StringComparison.OrdinalIgnoreCase) != backendOps)
        {
            throw new InputException(backendOps
                ? $"this is not test-backend-ops output (it inserts into table '{table}', not test_backend_ops)"
                : "this is test-backend-ops output (table test_backend_ops), not llama-bench output (compare reads it with -t test-backend-ops)", $"line {line}");
        }

        tables.TryGetValue(table, out var declared);
        var names = m.Groups["cols"].Success
            ? m.Groups["cols"].Value.Split(',').Select(c => c.Trim().Trim('"', '`')).ToList()
            : declared?.Select(c => c.Name).ToList() ?? throw new InputException($"INSERT without a column list into table '{table}', which no CREATE TABLE declared", $"line {line}");
        var values = SplitValues(m.Groups["vals"].Value, line);
        if (values.Count != names.Count)
        {
            throw new InputException($"the INSERT names {names.Count} columns but holds {values.Count} values", $"line {line}");
        }

        var record = new RawRecord(line);
        for (var i = 0; i < names.Count; i++)
        {
            var type = declared?.FirstOrDefault(c => c.Name == names[i]).Type ?? "";
            record.Add(names[i], Typed(values[i], type));
        }

        return record;
    }

    private static FieldValue Typed(string? value, string declaredType)
    {
        if (value is null)
        {
            return FieldValue.Null;
        }

        // SQLite's column affinity would store '10587' in an INTEGER column as an integer: do the same.
        if (declaredType.Contains("INT", StringComparison.Ordinal) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            return FieldValue.FromInteger(l);
        }

        if (declaredType.Contains("REAL", StringComparison.Ordinal) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return FieldValue.FromReal(d);
        }

        return FieldValue.FromText(value);
    }

    /// <summary>Splits <c>'a', 'b''c', 12, NULL</c> into values (null for SQL NULL).</summary>
    internal static List<string?> SplitValues(string body, int line)
    {
        var values = new List<string?>(48);
        var i = 0;
        while (true)
        {
            while (i < body.Length && body[i] == ' ')
            {
                i++;
            }

            if (i >= body.Length)
            {
                throw new InputException("a value is missing at the end of the VALUES list", $"line {line}");
            }

            int next;
            if (body[i] == '\'')
            {
                var close = FindClosingQuote(body, i + 1);
                if (close < 0)
                {
                    throw new InputException("a quoted value is not closed", $"line {line}");
                }

                // SQL doubles a quote inside a literal; sqlite3 reads '' as one quote, and so does this reader.
                values.Add(body[(i + 1)..close].Replace("''", "'", StringComparison.Ordinal));
                next = close + 1;
            }
            else
            {
                var comma = body.IndexOf(',', i);
                var token = (comma < 0 ? body[i..] : body[i..comma]).Trim();
                values.Add(token.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? null : token);
                next = comma < 0 ? body.Length : comma;
            }

            while (next < body.Length && body[next] == ' ')
            {
                next++;
            }

            if (next >= body.Length)
            {
                return values;
            }

            if (body[next] != ',')
            {
                throw new InputException($"unexpected '{body[next]}' after a value", $"line {line}");
            }

            i = next + 1;
        }
    }

    private static int FindClosingQuote(string body, int from)
    {
        for (var j = body.IndexOf('\'', from); j >= 0; j = body.IndexOf('\'', j + 1))
        {
            var k = j + 1;
            while (k < body.Length && body[k] == ' ')
            {
                k++;
            }

            if (k >= body.Length || body[k] == ',')
            {
                return j;
            }
        }

        return -1;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;

    [GeneratedRegex(@"^CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(?<name>[^\s(]+)\s*\((?<cols>.*)\)\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex CreateRegex();

    [GeneratedRegex(@"^INSERT\s+INTO\s+(?<name>[^\s(]+)\s*(\((?<cols>[^)]*)\))?\s*VALUES\s*\((?<vals>.*)\)\s*;\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InsertRegex();
}
