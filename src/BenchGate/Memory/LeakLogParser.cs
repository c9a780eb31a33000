using System.Globalization;
using System.Text.RegularExpressions;

namespace BenchGate.Memory;

/// <summary>
/// Reads leak reports from test logs — AddressSanitizer/LeakSanitizer and Valgrind memcheck — and attributes each to
/// the ctest test whose output holds it (<c>ctest -V</c> prefixes lines with the test number; <c>--output-on-failure</c>
/// prints them under the test's result line).
/// </summary>
public static partial class LeakLogParser
{
    public static List<MemoryFinding> Parse(string source, IEnumerable<string> lines, MemoryThresholds thresholds)
    {
        var tests = new Dictionary<int, string>();
        string? current = null;
        var reports = new Dictionary<(string? Test, string Detector, string? Pid), Report>();
        var order = new List<(string? Test, string Detector, string? Pid)>();

        Report For(string? test, string detector, string? pid)
        {
            var key = (test, detector, pid);
            if (!reports.TryGetValue(key, out var r))
            {
                reports[key] = r = new Report();
                order.Add(key);
            }

            return r;
        }

        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (CtestStart().Match(line) is { Success: true } start)
            {
                tests[int.Parse(start.Groups["n"].Value, CultureInfo.InvariantCulture)] = start.Groups["name"].Value;
                current = start.Groups["name"].Value;
                continue;
            }

            if (CtestResult().Match(line) is { Success: true } result)
            {
                tests[int.Parse(result.Groups["n"].Value, CultureInfo.InvariantCulture)] = result.Groups["name"].Value;
                current = result.Groups["name"].Value;
                continue;
            }

            var test = current;
            if (CtestPrefix().Match(line) is { Success: true } prefixed && tests.TryGetValue(int.Parse(prefixed.Groups["n"].Value, CultureInfo.InvariantCulture), out var named))
            {
                test = named;
                line = line[prefixed.Length..];
            }

            if (AsanLeak().Match(line) is { Success: true } leak)
            {
                var r = For(test, "asan", null);
                var bytes = long.Parse(leak.Groups["bytes"].Value, CultureInfo.InvariantCulture);
                var objects = long.Parse(leak.Groups["objects"].Value, CultureInfo.InvariantCulture);
                if (leak.Groups["kind"].Value == "Direct")
                {
                    (r.Direct, r.DirectObjects) = (r.Direct + bytes, r.DirectObjects + objects);
                }
                else
                {
                    (r.Indirect, r.IndirectObjects) = (r.Indirect + bytes, r.IndirectObjects + objects);
                }
            }
            else if (AsanSummary().Match(line) is { Success: true } summary)
            {
                For(test, "asan", null).Summary = line.Trim();
                _ = summary;
            }
            else if (ValgrindLost().Match(line) is { Success: true } lost)
            {
                var r = For(test, "valgrind", lost.Groups["pid"].Value);
                var bytes = Number(lost.Groups["bytes"].Value);
                var blocks = Number(lost.Groups["blocks"].Value);
                switch (lost.Groups["kind"].Value)
                {
                    case "definitely":
                        (r.Direct, r.DirectObjects) = (bytes, blocks);
                        break;
                    case "indirectly":
                        (r.Indirect, r.IndirectObjects) = (bytes, blocks);
                        break;
                    default:
                        (r.Possibly, r.PossiblyObjects) = (bytes, blocks);
                        break;
                }

                r.Summary ??= "valgrind LEAK SUMMARY";
            }
            else if (ValgrindClean().Match(line) is { Success: true } clean)
            {
                For(test, "valgrind", clean.Groups["pid"].Value).Summary = "All heap blocks were freed -- no leaks are possible";
            }
        }

        return [.. order.Select(k => reports[k].ToFinding(source, k.Test, k.Detector, thresholds))];
    }

    private static long Number(string text) => long.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private sealed class Report
    {
        public long Direct { get; set; }

        public long DirectObjects { get; set; }

        public long Indirect { get; set; }

        public long IndirectObjects { get; set; }

        public long Possibly { get; set; }

        public long PossiblyObjects { get; set; }

        public string? Summary { get; set; }

        public MemoryFinding ToFinding(string source, string? test, string detector, MemoryThresholds thresholds)
        {
            // Valgrind counts "possibly lost" (only an interior pointer remains, which a stale register or stack slot
            // can leave) as an error by default (--errors-for-leak-kinds=definite,possible): so does BenchGate.
            var bytes = Direct + Indirect + Possibly;
            var objects = DirectObjects + IndirectObjects + PossiblyObjects;
            var mb = bytes / MemoryFinding.BytesPerMb;
            // The spec's threshold decides what fails the check; smaller leaks are still recorded with their size,
            // and the report lists them, because a sanitizer's count is exact and worth a look.
            var kind = bytes > 0 && mb >= thresholds.LeakMb ? MemoryFindingKind.Leak : MemoryFindingKind.Ok;
            var details = bytes > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{Direct:N0} bytes in {DirectObjects} objects lost directly, {Indirect:N0} bytes in {IndirectObjects} indirectly{(Possibly > 0 ? $", {Possibly:N0} bytes in {PossiblyObjects} possibly" : "")}{(mb >= thresholds.LeakMb ? "" : $" (below the {thresholds.LeakMb} MB threshold)")}")
                : "no leaks";
            return new MemoryFinding(source, test, detector, kind, null, null, null, mb, bytes, objects, null, details);
        }
    }

    [GeneratedRegex(@"^\s*Start\s+(?<n>\d+):\s+(?<name>\S+)")]
    private static partial Regex CtestStart();

    [GeneratedRegex(@"^\s*\d+/\d+\s+Test\s+#(?<n>\d+):\s+(?<name>\S+)\s")]
    private static partial Regex CtestResult();

    [GeneratedRegex(@"^(?<n>\d+): ")]
    private static partial Regex CtestPrefix();

    [GeneratedRegex(@"(?<kind>Direct|Indirect) leak of (?<bytes>\d+) byte\(s\) in (?<objects>\d+) object\(s\)")]
    private static partial Regex AsanLeak();

    [GeneratedRegex(@"SUMMARY: (AddressSanitizer|LeakSanitizer): (?<bytes>\d+) byte\(s\) leaked")]
    private static partial Regex AsanSummary();

    [GeneratedRegex(@"==(?<pid>\d+)==\s+(?<kind>definitely|indirectly|possibly) lost: (?<bytes>[\d,]+) bytes in (?<blocks>[\d,]+) blocks")]
    private static partial Regex ValgrindLost();

    [GeneratedRegex(@"==(?<pid>\d+)== All heap blocks were freed -- no leaks are possible")]
    private static partial Regex ValgrindClean();
}
