using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Ingest;

/// <summary>Every real llama-bench output in the fixtures reads, and the formats agree with each other.</summary>
public sealed class FixtureIngestTests
{
    public static TheoryData<string, int> TextFixtures => new()
    {
        { "llama-bench/formats/small_p64_n16_r3.csv", 2 },
        { "llama-bench/formats/small_p64_n16_r3.json", 2 },
        { "llama-bench/formats/small_p64_n16_r3.jsonl", 2 },
        { "llama-bench/formats/small_p64_n16_r3.md", 2 },
        { "llama-bench/formats/small_p64_n16_r3.sql", 2 },
        { "llama-bench/formats/small_oe.stdout.sql", 2 },
        { "llama-bench/formats/small_oe.stderr.md", 2 },
        { "llama-bench/formats/small_multi.csv", 16 },
        { "llama-bench/formats/small_multi.json", 16 },
        { "llama-bench/formats/small_multi.jsonl", 16 },
        { "llama-bench/formats/small_multi.md", 16 },
        { "llama-bench/formats/small_multi.sql", 16 },
        { "llama-bench/formats/two_models.json", 4 },
        { "llama-bench/formats/two_models.md", 4 },
        { "llama-bench/aa-cpu-small/aa.jsonl", 20 },
        { "llama-bench/ab-cpu-long/ab_long_fast.jsonl", 10 },
        { "llama-bench/ab-cpu-long/ab_long_slow.jsonl", 10 },
        { "llama-bench/commits/commits_default.jsonl", 48 },
        { "llama-bench/commits/commits_lm_mmap.jsonl", 48 },
        { "llama-bench/logs/cpu_verbose.jsonl", 2 },
        { "llama-bench/old-2024/small_p64_n16_r3.csv", 2 },
        { "llama-bench/old-2024/small_p64_n16_r3.json", 2 },
        { "llama-bench/old-2024/small_p64_n16_r3.md", 2 },
        { "llama-bench/old-2024/small_p64_n16_r3.sql", 2 },
        { "llama-bench/old-2024/small_multi.json", 8 },
    };

    [Theory]
    [MemberData(nameof(TextFixtures))]
    public void Every_text_fixture_ingests(string fixture, int rows)
    {
        var records = FixtureReading.Records(fixture);
        Assert.Equal(rows, records.Count);
        Assert.All(records, r =>
        {
            Assert.True(r.AvgTs > 0);
            Assert.True(r.NPrompt + r.NGen > 0);
            Assert.NotNull(r.BuildCommit);
        });
    }

    [Fact]
    public void The_failed_run_fixture_is_rejected_with_its_cause()
    {
        using var stream = Fixtures.Open("llama-bench/logs/missing_model.json");
        var e = Assert.Throws<InputException>(() => FixtureReading.Records(stream, InputFormat.Json));
        Assert.Contains("only its opening '['", e.Message);
    }

    [Fact]
    public void Sql_and_md_of_one_run_agree_to_the_precision_md_prints()
    {
        var sql = FixtureReading.Records("llama-bench/formats/small_oe.stdout.sql");
        var md = FixtureReading.Records("llama-bench/formats/small_oe.stderr.md");
        Assert.Equal(sql.Count, md.Count);
        for (var i = 0; i < sql.Count; i++)
        {
            Assert.Equal(sql[i].AvgTs.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), md[i].AvgTs.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(sql[i].StddevTs!.Value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), md[i].StddevTs!.Value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(sql[i].NPrompt, md[i].NPrompt);
            Assert.Equal(sql[i].NGen, md[i].NGen);
            foreach (var field in new[] { "build_commit", "build_number", "model_type", "backends", "n_threads" })
            {
                Assert.Equal(sql[i].Get(field), md[i].Get(field));
            }

            // md prints sizes as MiB and parameter counts in millions with 2 decimals.
            Assert.InRange(md[i].Get("model_size").Integer - sql[i].Get("model_size").Integer, -0.005 * (1 << 20), 0.005 * (1 << 20));
            Assert.InRange(md[i].Get("model_n_params").Integer - sql[i].Get("model_n_params").Integer, -5000, 5000);
        }
    }

    [Fact]
    public void One_configuration_in_json_jsonl_csv_and_sql_gives_identical_configuration_fields()
    {
        var formats = new[] { "json", "jsonl", "csv", "sql" }
            .Select(f => FixtureReading.Records($"llama-bench/formats/small_multi.{f}")).ToList();
        var measured = new HashSet<string> { "test_time", "avg_ns", "stddev_ns", "avg_ts", "stddev_ts" };
        foreach (var other in formats.Skip(1))
        {
            Assert.Equal(formats[0].Count, other.Count);
            for (var i = 0; i < other.Count; i++)
            {
                Assert.Equal(formats[0][i].Key, other[i].Key);
                foreach (var field in LlamaBenchSchema.Fields.Where(f => !measured.Contains(f.Name)))
                {
                    Assert.Equal(formats[0][i].Get(field.Ordinal), other[i].Get(field.Ordinal));
                }
            }
        }
    }

    [Fact]
    public void Samples_reproduce_llama_bench_averages_and_stddev_ns_is_recomputed_exactly()
    {
        var jsonl = FixtureReading.Records("llama-bench/aa-cpu-small/aa.jsonl");
        Assert.All(jsonl, r =>
        {
            Assert.Equal(5, r.Repetitions);
            Assert.Equal((long)Math.Floor(r.SamplesNs!.Average(x => (double)x)), r.AvgNs);
            Assert.InRange(Math.Abs(r.ReportedStddevNs!.Value - r.Get("stddev_ns").Integer), 0, 200);
            Assert.Equal(r.AvgTs, r.SamplesTs!.Average(), 0.000001 * r.AvgTs);
        });
    }

    [Fact]
    public void A_2024_row_and_a_2026_row_differ_only_in_the_defaults_that_changed_between_them()
    {
        var old = FixtureReading.Records("llama-bench/old-2024/small_p64_n16_r3.json")[0];
        var now = FixtureReading.Records("llama-bench/formats/small_p64_n16_r3.jsonl")[0];
        var differing = old.Key.Fields.Zip(now.Key.Fields).Where(p => p.First.Value != p.Second.Value).Select(p => p.First.Key).ToList();
        // n_gpu_layers 99 → -1 and flash_attn false → auto (2026-05-31), load_mode mmap → auto (2026-08-11).
        Assert.Equal(["n_gpu_layers", "flash_attn", "load_mode"], differing);
        Assert.Equal("CPU", old.Key["backends"]);
        Assert.Equal("0", old.Key["n_depth"]);
        Assert.Equal("mmap", old.Key["load_mode"]);
    }

    [Fact]
    public void A_2026_run_with_the_2024_settings_has_the_same_key_as_the_2024_run()
    {
        var old = FixtureReading.Records("llama-bench/old-2024/small_p64_n16_r3.json")[0];
        var line = File.ReadLines(Fixtures.Path("llama-bench/formats/small_p64_n16_r3.jsonl")).First()
            .Replace("\"n_gpu_layers\": -1", "\"n_gpu_layers\": 99", StringComparison.Ordinal)
            .Replace("\"flash_attn\": -1", "\"flash_attn\": 0", StringComparison.Ordinal)
            .Replace("\"load_mode\": \"auto\"", "\"load_mode\": \"mmap\"", StringComparison.Ordinal);
        var now = FixtureReading.FromText(line, InputFormat.Jsonl)[0];
        Assert.Equal(old.Key, now.Key);
        Assert.Equal(old.Key.Hash, now.Key.Hash);
    }

    [Fact]
    public void Two_models_with_one_model_type_are_two_benchmarks()
    {
        var records = FixtureReading.Records("llama-bench/formats/two_models.json");
        Assert.Single(records.Select(r => r.Get("model_type").Text).Distinct());
        Assert.Equal(4, records.Select(r => r.Key).Distinct().Count());
    }

    [Fact]
    public void Appended_runs_in_one_file_are_split_into_runs()
    {
        var splitter = new RunSplitter();
        var starts = FixtureReading.Records("llama-bench/aa-cpu-small/aa.jsonl").Count(splitter.StartsNewRun);
        Assert.Equal(10, starts);

        var commits = new RunSplitter();
        Assert.Equal(6, FixtureReading.Records("llama-bench/commits/commits_lm_mmap.jsonl").Count(commits.StartsNewRun));
    }
}
