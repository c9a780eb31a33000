using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Model;

namespace BenchGate.Bench.Detection;

/// <summary>Real runs from the fixtures, split into llama-bench invocations as ingest does.</summary>
internal static class FixtureRuns
{
    public static List<RunRecords> Load(string relative, string prefix) => LoadFile(JsonlGenerator.FindFixture(relative), prefix);

    /// <summary>Runs of any llama-bench jsonl file (bench/data holds held-out recordings).</summary>
    public static List<RunRecords> LoadFile(string path, string prefix)
    {
        using var stream = File.OpenRead(path);
        return [.. ComparisonSide.FromRecords(prefix, TextFormatReaders.Open(InputFormat.Jsonl, stream).Select(RecordNormalizer.Normalize).ToList(), prefix).Runs];
    }
}

/// <summary>A history holding given runs' values (the machine's known behaviour for each benchmark).</summary>
internal sealed class RunsHistory(IReadOnlyList<RunRecords> runs) : INoiseHistory
{
    public IReadOnlyList<HistoryValue> Values(BenchmarkKey key, Metric metric, IReadOnlySet<string> excludeRuns) =>
        [.. runs.SelectMany(r => r.Records.Where(x => x.Key.Equals(key)).Select(x => metric.ValueOf(x, r.RunId, useSamples: true)))
            .Where(v => v is { Value: > 0 }).Select(v => new HistoryValue(v!.Value.RunId, Math.Log(v.Value.Value)))];
}
