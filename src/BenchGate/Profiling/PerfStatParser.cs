using System.Globalization;

namespace BenchGate.Profiling;

/// <summary>Reads <c>perf stat -x ';'</c>'s lines: value;unit;event;run time;share;metric;metric unit.</summary>
public static class PerfStatParser
{
    public const char Separator = ';';

    /// <summary>The counters asked for: time, scheduling and memory always; the hardware ones where the machine has them.</summary>
    public static readonly IReadOnlyList<string> Events =
        ["task-clock", "context-switches", "cpu-migrations", "page-faults", "cycles", "instructions", "branch-misses", "cache-misses"];

    public static IReadOnlyList<CounterValue> Parse(string text, string source)
    {
        var counters = new List<CounterValue>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(Separator);
            if (fields.Length < 3 || fields[2].Length == 0)
            {
                throw new InputException($"line {lineNumber} is not a perf stat -x ';' row (value;unit;event;…): '{line}'", input: source);
            }

            double? value = fields[0] switch
            {
                "<not supported>" or "<not counted>" => null,
                var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
                _ => throw new InputException($"line {lineNumber}: '{fields[0]}' is not a counter value", input: source),
            };
            // perf adds ":u" to an event it could count in user space only.
            counters.Add(new CounterValue(fields[2].Split(':')[0], value, fields[1]));
        }

        if (counters.Count == 0)
        {
            throw new InputException("no counters: not perf stat output", input: source);
        }

        return counters;
    }
}
