using BenchGate.Detection;
using BenchGate.Ingest;
using BenchGate.Model;

namespace BenchGate.Tests.Ingest;

/// <summary>Grouping records read whole into runs: as ingest splits them, unless that makes a run of nearly every row.</summary>
public sealed class RunAssignerTests
{
    [Theory]
    [InlineData("llama-bench/aa-cpu-small/aa.jsonl", 10)]
    [InlineData("llama-bench/commits/commits_lm_mmap.jsonl", 6)]
    public void Appended_invocations_give_the_same_runs_by_repetition_as_the_streaming_rule(string fixture, int runs)
    {
        var records = FixtureReading.Records(fixture);

        Assert.Equal(runs, StreamingRuns(records).Count);
        Assert.Equal(StreamingRuns(records), RepetitionRuns(records));
        Assert.Equal(StreamingRuns(records), Indexes(records, ComparisonSide.FromRecords("f", records, "f")));
    }

    [Fact]
    public void Rows_stored_configuration_by_configuration_give_one_run_per_repetition_in_order()
    {
        // aa.jsonl's 10 invocations, reordered as a database that stores each configuration's rows together holds them.
        var byConfiguration = FixtureReading.Records("llama-bench/aa-cpu-small/aa.jsonl").OrderBy(r => r.Key.Canonical, StringComparer.Ordinal).ToList();
        Assert.Equal(19, StreamingRuns(byConfiguration).Count); // the streaming rule: a run of nearly every one of the 20 rows

        var side = ComparisonSide.FromRecords("aa", byConfiguration, "aa");

        Assert.Equal(10, side.Runs.Count);
        // Run k holds the k-th row of every configuration: not reversed, none left out.
        for (var k = 0; k < 10; k++)
        {
            var expected = byConfiguration.GroupBy(r => r.Key).Select(g => g.ElementAt(k));
            Assert.Equal(expected, side.Runs[k].Records);
        }
    }

    [Fact]
    public void A_test_missing_from_an_invocation_keeps_the_invocations_as_ingest_splits_them()
    {
        var records = FixtureReading.Records("llama-bench/aa-cpu-small/aa.jsonl");
        var firstRun = StreamingRuns(records)[0];
        var withGap = records.Where(r => !ReferenceEquals(r, records[firstRun[^1]])).ToList();

        Assert.Equal(StreamingRuns(withGap), Indexes(withGap, ComparisonSide.FromRecords("gap", withGap, "gap")));
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

        var side = ComparisonSide.FromRecords("ab", rows, "ab");

        Assert.Equal(6, side.Runs.Count);
        Assert.All(side.Runs, r => Assert.Single(r.Records.Select(x => x.BuildCommit).Distinct()));
        Assert.All(side.Runs, r => Assert.Equal(configurations, r.Records.Count));
    }

    /// <summary>Each run of <paramref name="side"/> as the indexes of its records in <paramref name="records"/>.</summary>
    private static List<List<int>> Indexes(List<BenchmarkRecord> records, ComparisonSide side)
    {
        // Records are classes compared by reference: a fixture row repeated in a test is one object, so look it up in order.
        var next = 0;
        var position = new Dictionary<BenchmarkRecord, Queue<int>>(ReferenceEqualityComparer.Instance);
        foreach (var r in records)
        {
            (position.TryGetValue(r, out var q) ? q : position[r] = new Queue<int>()).Enqueue(next++);
        }

        return [.. side.Runs.Select(run => run.Records.Select(r => position[r].Dequeue()).ToList())];
    }

    private static List<List<int>> RepetitionRuns(List<BenchmarkRecord> records)
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
