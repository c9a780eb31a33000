using System.Globalization;
using System.Text;

namespace BenchGate.Bench;

/// <summary>
/// Writes a large jsonl made of real llama-bench lines (tests/fixtures/llama-bench/commits), in runs of
/// 8 tests as llama-bench appends them, with the measurements perturbed so no two rows are equal.
/// </summary>
internal static class JsonlGenerator
{
    public static long Write(string output, int rows)
    {
        var template = File.ReadAllLines(FindFixture("llama-bench/commits/commits_lm_mmap.jsonl")).Take(8).ToArray();
        var random = new Random(42);
        using var w = new StreamWriter(output, false, new UTF8Encoding(false), 1 << 20);
        for (var i = 0; i < rows; i++)
        {
            var line = template[i % template.Length];
            var factor = 0.9 + (0.2 * random.NextDouble());
            w.WriteLine(Perturb(line, factor));
        }

        return rows;
    }

    private static string Perturb(string line, double factor)
    {
        var at = line.IndexOf("\"avg_ts\": ", StringComparison.Ordinal) + 10;
        var end = line.IndexOf(',', at);
        var avg = double.Parse(line.AsSpan(at, end - at), CultureInfo.InvariantCulture) * factor;
        return string.Concat(line.AsSpan(0, at), avg.ToString("F6", CultureInfo.InvariantCulture), line.AsSpan(end));
    }

    public static string FindFixture(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/fixtures/{relative} not found above {AppContext.BaseDirectory}");
    }
}
