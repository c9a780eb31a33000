using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchGate.Ingest;
using BenchGate.Workflows;
using BenchGate.Workflows.Ingest;

namespace BenchGate.Bench.Dashboard;

/// <summary>
/// A master history as <c>ci push</c> records it: <c>benchmarks</c> keys × <c>commits</c> commits, one run of every key per
/// commit, ingested commit by commit; every tenth benchmark 8% slower from 60% of the way. Kept between runs.
/// </summary>
internal static class HistoryDatabase
{
    public static string Build(string dir, int commits, int benchmarks)
    {
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, $"history-{commits}x{benchmarks}.sqlite");
        if (File.Exists(db))
        {
            return db;
        }

        var template = File.ReadLines(JsonlGenerator.FindFixture("llama-bench/aa-cpu-small/aa.jsonl")).First();
        var random = new Random(16);
        var host = new WorkflowHost(TextWriter.Null, TextWriter.Null, _ => null);
        var jsonl = Path.Combine(dir, "commit.jsonl");
        var sw = Stopwatch.StartNew();
        for (var c = 0; c < commits; c++)
        {
            using (var w = new StreamWriter(jsonl, false, new UTF8Encoding(false)))
            {
                WriteCommit(w, template, random, c, commits, benchmarks, buildCommit: null);
            }

            IngestWorkflow.Run(host, new IngestRequest([jsonl], db, new IngestOptions(Commit: $"c{c:0000}", Branch: "master", Machine: "bench")));
            if ((c + 1) % 500 == 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c + 1} of {commits} commits, {sw.Elapsed.TotalSeconds:F0} s"));
            }
        }

        Console.WriteLine($"built {db} in {sw.Elapsed.TotalSeconds:F0} s");
        return db;
    }

    /// <summary>
    /// The same history as one jsonl stream, each commit's rows naming it as build_commit (c00000, c00001, …), for
    /// <c>benchgate ingest -</c>: the 10-million-row database of bench/RESULTS.md is 10,000 commits × 1,000 benchmarks.
    /// </summary>
    public static long Jsonl(TextWriter w, int commits, int benchmarks)
    {
        var template = File.ReadLines(JsonlGenerator.FindFixture("llama-bench/aa-cpu-small/aa.jsonl")).First();
        var random = new Random(18);
        for (var c = 0; c < commits; c++)
        {
            WriteCommit(w, template, random, c, commits, benchmarks, string.Create(CultureInfo.InvariantCulture, $"c{c:00000}"));
        }

        return (long)commits * benchmarks;
    }

    private static void WriteCommit(TextWriter w, string template, Random random, int c, int commits, int benchmarks, string? buildCommit)
    {
        if (buildCommit is not null)
        {
            template = template.Replace("\"build_commit\": \"3f545becc\"", $"\"build_commit\": \"{buildCommit}\"", StringComparison.Ordinal)
                .Replace("\"build_number\": 10587", string.Create(CultureInfo.InvariantCulture, $"\"build_number\": {c}"), StringComparison.Ordinal);
        }

        for (var k = 1; k <= benchmarks; k++)
        {
            var slower = k % 10 == 0 && c >= commits * 6 / 10 ? 1.08 : 1.0;
            var ns = Enumerable.Range(0, 5).Select(_ => (long)(1_000_000 * (1 + (0.03 * random.NextDouble())) * slower)).ToArray();
            var ts = ns.Select(x => 64e9 / x).ToArray();
            var line = template.Replace("\"n_prompt\": 64", $"\"n_prompt\": {k}", StringComparison.Ordinal);
            var cut = line.IndexOf("\"avg_ns\"", StringComparison.Ordinal);
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{line[..cut]}\"avg_ns\": {(long)ns.Average()}, \"stddev_ns\": 1000, \"avg_ts\": {ts.Average():F6}, \"stddev_ts\": 10.0, \"samples_ns\": [ {string.Join(", ", ns)} ],\"samples_ts\": [ {string.Join(", ", ts.Select(x => x.ToString("G6", CultureInfo.InvariantCulture)))} ]}}"));
        }
    }
}
