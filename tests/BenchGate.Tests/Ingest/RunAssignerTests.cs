using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Model;

namespace BenchGate.Tests.Ingest;

/// <summary>Grouping records read whole into runs: as many runs as the most repeated key has rows, whatever the order.</summary>
public sealed class RunAssignerTests
{
    [Theory]
    [InlineData("llama-bench/aa-cpu-small/aa.jsonl", 10)]
    [InlineData("llama-bench/commits/commits_lm_mmap.jsonl", 6)]
    public void Appended_invocations_give_the_runs_the_streaming_rule_gives(string fixture, int runs)
    {
        var records = FixtureReading.Records(fixture);

        Assert.Equal(runs, records.Select(new RunAssigner().RunOf).Distinct().Count());
        Assert.Equal(StreamingRuns(records), Runs(records));
    }

    [Fact]
    public void Rows_stored_configuration_by_configuration_give_one_run_per_repetition_not_one_per_row()
    {
        // aa.jsonl's 10 invocations, reordered as a database that stores each configuration's rows together would hold them.
        var byConfiguration = FixtureReading.Records("llama-bench/aa-cpu-small/aa.jsonl").OrderBy(r => r.Key.Canonical, StringComparer.Ordinal).ToList();

        var side = ComparisonSide.FromRecords("aa", byConfiguration, "aa");

        Assert.Equal(10, side.Runs.Count);
        Assert.All(side.Runs, r => Assert.Equal(r.Records.Count, r.Records.Select(x => x.Key).Distinct().Count()));
        Assert.Equal(byConfiguration.Count, side.Runs.Sum(r => r.Records.Count));
        Assert.True(StreamingRuns(byConfiguration).Count > 10, "the streaming rule splits this order into more runs");
    }

    [Fact]
    public void A_test_missing_from_the_first_invocation_does_not_pull_the_next_invocation_apart()
    {
        var records = FixtureReading.Records("llama-bench/aa-cpu-small/aa.jsonl");
        var firstRun = StreamingRuns(records)[0];
        var withGap = records.Where(r => !ReferenceEquals(r, records[firstRun[^1]])).ToList();

        Assert.Equal(StreamingRuns(withGap), Runs(withGap));
    }

    [Fact]
    public void Each_build_keeps_runs_of_its_own_when_builds_alternate_configuration_by_configuration()
    {
        // Two builds' rows as a shared database stores interleaved runs: a's three rows of a configuration, then b's.
        var a = FixtureReading.Records("llama-bench/aa-cpu-small/aa.jsonl").DistinctBy(r => r.Key).ToList();
        var other = FixtureReading.Records("llama-bench/commits/commits_lm_mmap.jsonl").Where(r => r.BuildCommit != a[0].BuildCommit).ToList();
        var b = other.Where(r => r.BuildCommit == other[0].BuildCommit).DistinctBy(r => r.Key).ToList();
        var configurations = Math.Min(a.Count, b.Count);
        Assert.True(configurations >= 2, "both builds ran several configurations");
        var rows = Enumerable.Range(0, configurations).SelectMany(i => Enumerable.Repeat(a[i], 3).Concat(Enumerable.Repeat(b[i], 3))).ToList();

        var assigner = new RunAssigner();
        var runBuild = new Dictionary<int, string?>();
        foreach (var record in rows)
        {
            var run = assigner.RunOf(record);
            Assert.Equal(runBuild.GetValueOrDefault(run, record.BuildCommit), record.BuildCommit);
            runBuild[run] = record.BuildCommit;
        }

        Assert.Equal(6, assigner.RunCount);
    }

    /// <summary>Each run as the indexes of its records, in the order the runs open.</summary>
    private static List<List<int>> Runs(List<BenchmarkRecord> records)
    {
        var assigner = new RunAssigner();
        var runs = new List<List<int>>();
        for (var i = 0; i < records.Count; i++)
        {
            var run = assigner.RunOf(records[i]);
            if (run == runs.Count)
            {
                runs.Add([]);
            }

            runs[run].Add(i);
        }

        return runs;
    }

    private static List<List<int>> StreamingRuns(List<BenchmarkRecord> records)
    {
        var splitter = new RunSplitter();
        var runs = new List<List<int>>();
        for (var i = 0; i < records.Count; i++)
        {
            if (splitter.StartsNewRun(records[i]))
            {
                runs.Add([]);
            }

            runs[^1].Add(i);
        }

        return runs;
    }
}
