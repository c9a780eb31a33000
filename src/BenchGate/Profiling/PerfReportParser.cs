using System.Globalization;
using System.Text.RegularExpressions;

namespace BenchGate.Profiling;

/// <summary>
/// Reads <c>perf report --stdio --no-children -F overhead,sample,period,dso,sym -t SEP</c>: one row per module and
/// symbol, fields separated by <see cref="Separator"/> (a character no symbol contains, unlike perf's default columns,
/// which C++ names break).
/// </summary>
public static partial class PerfReportParser
{
    public const char Separator = '\u001f';

    /// <summary>perf report's arguments for a data file, in the shape <see cref="Parse"/> reads.</summary>
    public static IReadOnlyList<string> Arguments(string dataFile) =>
        ["report", "-i", dataFile, "--stdio", "--no-children", "--percent-limit", "0", "-F", "overhead,sample,period,dso,sym", "-t", Separator.ToString()];

    /// <param name="text">perf report's output.</param>
    /// <param name="source">What the text came from, for the message when it cannot be read.</param>
    public static CpuProfile Parse(string text, string source)
    {
        string? eventName = null;
        var functions = new List<FunctionSamples>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('#'))
            {
                if (EventLine().Match(line) is { Success: true } m)
                {
                    // perf report prints one such header per event; the first is the one recorded. Its modifiers
                    // (cpu-clock:ppp, cycles:P) say how precisely it was sampled, not what it counts.
                    eventName ??= m.Groups[1].Value.Split(':')[0];
                }

                continue;
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            var fields = line.Split(Separator);
            if (fields.Length != 5
                || !long.TryParse(fields[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var samples)
                || !double.TryParse(fields[2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var period))
            {
                throw new InputException($"line {lineNumber} is not a perf report row (overhead, samples, period, module, symbol): '{Shorten(line)}'", input: source);
            }

            var (symbol, resolved) = Symbol(fields[4].Trim());
            functions.Add(new FunctionSamples(Module(fields[3].Trim()), symbol, samples, period, resolved));
        }

        if (eventName is null && functions.Count == 0)
        {
            throw new InputException("no samples and no event header: not perf report output", input: source);
        }

        return new CpuProfile(eventName ?? "unknown", functions);
    }

    /// <summary>perf marks user functions "[.] name" and kernel ones "[k] name"; an address or [unknown] has no name.</summary>
    private static (string Symbol, bool Resolved) Symbol(string field)
    {
        var kernel = field.StartsWith("[k] ", StringComparison.Ordinal);
        var name = field.Length > 4 && field[0] == '[' && field[2] == ']' && field[3] == ' ' ? field[4..].Trim() : field;
        var resolved = name.Length > 0 && name != "[unknown]" && !Address().IsMatch(name);
        return (kernel && resolved ? name + " [kernel]" : name, resolved);
    }

    /// <summary>
    /// The module's file name without its minor version (libggml-cpu.so.0.21.0 → libggml-cpu.so.0, as its soname):
    /// two llama.cpp versions' libraries are the same module, and their functions the same functions.
    /// </summary>
    private static string Module(string path) => SharedObjectVersion().Replace(Path.GetFileName(path), "$1");

    private static string Shorten(string line) => (line.Length > 80 ? line[..80] + "…" : line).Replace(Separator, '|');

    [GeneratedRegex(@"^# Samples: \S+\s+of event '([^']+)'")]
    private static partial Regex EventLine();

    [GeneratedRegex(@"(\.so\.[0-9]+)(\.[0-9]+)+$")]
    private static partial Regex SharedObjectVersion();

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex Address();
}
