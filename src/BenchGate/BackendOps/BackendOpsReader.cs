using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BenchGate.Ingest;
using BenchGate.Ingest.Readers;

namespace BenchGate.BackendOps;

/// <summary>
/// Reads <c>test-backend-ops perf</c> output: <c>--output sql</c> text, the console format (with its colour codes),
/// or rows already read from a test_backend_ops table. Its csv printer writes no timing columns, so csv is refused
/// with the reason.
/// </summary>
public static partial class BackendOpsReader
{
    /// <param name="content">The output's bytes (disposed by the caller).</param>
    /// <param name="path">Its name as the user gave it, for messages.</param>
    public static List<BackendOpResult> Read(Stream content, string path)
    {
        try
        {
            var text = new StreamReader(content, Encoding.UTF8).ReadToEnd();
            var start = text.TrimStart();
            if (start.StartsWith("CREATE TABLE", StringComparison.OrdinalIgnoreCase) || start.StartsWith("INSERT INTO", StringComparison.OrdinalIgnoreCase))
            {
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
                return [.. SqlTextReader.ReadBackendOps(stream).Select(FromRow)];
            }

            if (start.StartsWith("\"backend_name\"", StringComparison.Ordinal) || start.StartsWith("backend_name,", StringComparison.Ordinal))
            {
                var header = start[..start.IndexOf('\n', StringComparison.Ordinal)];
                if (!header.Contains("time_us", StringComparison.Ordinal) && !header.Contains("flops", StringComparison.Ordinal))
                {
                    throw new InputException("this test-backend-ops csv has no timing columns (its csv printer writes only the test description); write the results with --output sql");
                }

                throw new InputException("test-backend-ops csv with timing columns is not a format its printer writes; write the results with --output sql");
            }

            var rows = Console(text);
            return rows.Count > 0 ? rows : throw new InputException("holds no test-backend-ops perf results (expected --output sql text, or console lines like \"OP(params): N runs - X us/run - … GB/s\")");
        }
        catch (InputException e)
        {
            throw e.WithInput(path);
        }
    }

    /// <summary>A row read from sql text or a database table.</summary>
    public static BackendOpResult FromRow(RawRecord row)
    {
        var fields = row.Fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        string Text(string name) => fields.TryGetValue(name, out var v) && !v.IsNull ? v.ToString() : "";
        double Number(string name)
        {
            var t = Text(name);
            return t.Length == 0 ? 0 : double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d : throw new InputException($"{name} is not a number: '{t}'", $"{row.LocationUnit} {row.Line}");
        }

        foreach (var required in new[] { "backend_name", "op_name", "op_params" })
        {
            if (Text(required).Length == 0)
            {
                throw new InputException($"missing {required}", $"{row.LocationUnit} {row.Line}");
            }
        }

        return new BackendOpResult(Text("build_commit") is { Length: > 0 } c ? c : "unknown", Text("test_time"), Text("backend_name"), Text("op_name"), Text("op_params"),
            Text("test_mode") is { Length: > 0 } m ? m : "perf", Number("supported") == 1, Number("passed") == 1, Number("time_us"), Number("flops"),
            Number("bandwidth_gb_s"), (long)Number("memory_kb"), (long)Number("n_runs"));
    }

    private static List<BackendOpResult> Console(string text)
    {
        var rows = new List<BackendOpResult>();
        var backend = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = Ansi().Replace(raw, "").TrimEnd('\r');
            if (BackendLine().Match(line) is { Success: true } b)
            {
                backend = b.Groups["name"].Value.Trim();
                continue;
            }

            if (PerfLine().Match(line) is not { Success: true } m)
            {
                continue;
            }

            var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            var unit = m.Groups["unit"].Value;
            var flops = unit.EndsWith("FLOPS", StringComparison.Ordinal) ? value * Scale(unit[..^5]) : 0;
            rows.Add(new BackendOpResult("unknown", "", backend, m.Groups["op"].Value, m.Groups["params"].Value, "perf", true, true,
                double.Parse(m.Groups["us"].Value, CultureInfo.InvariantCulture), flops, unit == "GB/s" ? value : 0,
                unit == "GB/s" ? long.Parse(m.Groups["amount"].Value.Split('.')[0], CultureInfo.InvariantCulture) : 0, long.Parse(m.Groups["runs"].Value, CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static double Scale(string prefix) => prefix switch { "k" => 1e3, "M" => 1e6, "G" => 1e9, "T" => 1e12, _ => 1 };

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"^Backend \d+/\d+: (?<name>.+)$")]
    private static partial Regex BackendLine();

    [GeneratedRegex(@"^\s*(?<op>[A-Z][A-Z0-9_]*)\((?<params>.*)\):\s+(?<runs>\d+) runs -\s+(?<us>[\d.]+) us/run -\s+(?<amount>[\d.]+) \S+/run -\s+(?<value>[\d.]+) (?<unit>GB/s|[kMGT]?FLOPS)\s*$")]
    private static partial Regex PerfLine();
}
