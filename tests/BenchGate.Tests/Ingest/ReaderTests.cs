using BenchGate.Ingest;
using BenchGate.Ingest.Readers;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Ingest;

public sealed class ReaderTests
{
    private static readonly string SqlHeader = string.Join("\n", Fixtures.Text("llama-bench/formats/small_p64_n16_r3.sql").Split('\n').TakeWhile(l => !l.StartsWith("INSERT", StringComparison.Ordinal)));

    private static string FirstInsert => Fixtures.Text("llama-bench/formats/small_p64_n16_r3.sql").Split('\n').First(l => l.StartsWith("INSERT", StringComparison.Ordinal));

    [Fact]
    public void Jsonl_lines_parsed_into_one_record_object_normalise_into_records_of_their_own()
    {
        const string Jsonl = "llama-bench/aa-cpu-small/aa.jsonl";
        using var stream = Fixtures.Open(Jsonl);
        var raws = JsonlReader.Read(stream).Take(3).Select(r => (Raw: r, Record: RecordNormalizer.Normalize(r))).ToList();
        var lines = File.ReadLines(Fixtures.Path(Jsonl)).Take(3)
            .Select((l, i) => RecordNormalizer.Normalize(JsonObjectParser.Parse(System.Text.Encoding.UTF8.GetBytes(l), i + 1))).ToList();

        // One object handed out line after line (valid until the next), and records that kept each line's own values.
        Assert.Same(raws[0].Raw, raws[2].Raw);
        Assert.Equal(lines.Select(r => r.AvgTs), raws.Select(r => r.Record.AvgTs));
        Assert.Equal(lines.Select(r => string.Join(",", r.SamplesNs!)), raws.Select(r => string.Join(",", r.Record.SamplesNs!)));
        Assert.Equal([1, 2, 3], raws.Select(r => r.Record.SourceLine));
        Assert.Equal(3, raws.Select(r => r.Record.AvgTs).Distinct().Count());
    }

    [Fact]
    public void Sql_values_with_an_unescaped_quote_are_read_whole()
    {
        var insert = FirstInsert.Replace("'tiny-llama-small-f32.gguf'", "'mod'q.gguf'", StringComparison.Ordinal);
        var r = FixtureReading.FromText(SqlHeader + "\n" + insert + "\n", InputFormat.Sql).Single();
        Assert.Equal("mod'q.gguf", r.Get("model_filename").Text);
        Assert.Equal(64, r.NPrompt);
    }

    [Fact]
    public void Sql_splitter_handles_bare_numbers_and_null()
    {
        Assert.Equal(["a", "12", null, "b"], SqlTextReader.SplitValues("'a', 12, NULL, 'b'", 1));
        Assert.Equal(["it's"], SqlTextReader.SplitValues("'it's'", 1));
        // llama-bench does not escape, so a value holding "', " is ambiguous: it splits, and the column count then fails.
        Assert.Equal(["x", "y'"], SqlTextReader.SplitValues("'x', y'", 1));
        // As sqlite3 reads it: a doubled quote inside a literal is one quote.
        Assert.Equal(["it's", "a''"], SqlTextReader.SplitValues("'it''s', 'a'''''", 1));
    }

    [Fact]
    public void Two_models_of_one_type_in_md_are_two_benchmarks_not_one_average()
    {
        var records = FixtureReading.Records("llama-bench/formats/two_models.md");
        Assert.Equal(4, records.Select(r => r.Key).Distinct().Count());
        var pp64 = records.Where(r => r.NPrompt == 64).ToList();
        Assert.Equal(["?38.76 MiB 10.16 M", "?4.69 MiB 1.23 M"], pp64.Select(r => r.Key["model_filename"]).Order(StringComparer.Ordinal));
        var titles = BenchGate.Detection.BenchmarkTitle.For([.. records.Select(r => r.Key)]);
        Assert.Contains(titles.Values, t => t.StartsWith("llama ?B all F32 (4.69 MiB 1.23 M) | backend:CPU | p:64 | g:0 | pp64", StringComparison.Ordinal));
    }

    [Fact]
    public void A_nul_byte_in_a_text_field_is_named_with_its_line_and_field()
    {
        var line = File.ReadAllLines(BenchGate.Tests.Shared.Fixtures.Path("llama-bench/formats/small_p64_n16_r3.jsonl"))[1];
        var bad = line.Replace("\"cpu_info\": \"AMD EPYC\"", "\"cpu_info\": \"AMD\\u0000EPYC\"", StringComparison.Ordinal);
        Assert.NotEqual(line, bad);
        var e = FixtureReading.Fails(bad, InputFormat.Jsonl);
        Assert.Contains("cpu_info", e.Message, StringComparison.Ordinal);
        Assert.Contains("NUL byte", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e308", "avg_ts", "no llama-bench run measures that")]
    [InlineData("2e9", "avg_ts", "over a billion tokens per second")]
    public void A_rate_no_real_run_can_have_is_named_with_its_line_and_field(string value, string field, string message)
    {
        var line = File.ReadAllLines(BenchGate.Tests.Shared.Fixtures.Path("llama-bench/formats/small_p64_n16_r3.jsonl"))[0];
        var bad = System.Text.RegularExpressions.Regex.Replace(line, "\"avg_ts\": [0-9.]+", $"\"avg_ts\": {value}");
        var e = FixtureReading.Fails(bad, InputFormat.Jsonl);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_header_without_inserts_is_a_failed_run()
    {
        var sql = SqlHeader + "\n\n";
        Assert.Empty(FixtureReading.FromText(sql, InputFormat.Sql));
    }

    [Fact]
    public void Sql_truncated_insert_names_its_line()
    {
        var sql = SqlHeader + "\n" + FirstInsert[..200] + "\n";
        var e = FixtureReading.Fails(sql, InputFormat.Sql);
        Assert.Contains($"line {SqlHeader.Split('\n').Length + 1}", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Json_truncated_after_complete_objects_is_rejected_with_its_line()
    {
        var json = Fixtures.Text("llama-bench/formats/two_models.json");
        var cut = json[..json.LastIndexOf("  },", StringComparison.Ordinal)] + "  }";
        var e = FixtureReading.Fails(cut, InputFormat.Json);
        Assert.Contains("without its closing ']'", e.Message);
    }

    [Fact]
    public void Json_cut_inside_an_object_is_rejected()
    {
        var json = Fixtures.Text("llama-bench/formats/small_multi.json")[..3000];
        Assert.Contains("truncated", FixtureReading.Fails(json, InputFormat.Json).Message);
    }

    [Fact]
    public void A_lone_bracket_is_the_failed_run_it_is()
    {
        Assert.Contains("only its opening '['", FixtureReading.Fails("[\n", InputFormat.Json).Message);
    }

    [Fact]
    public void Jsonl_with_one_line_reads_as_one_record()
    {
        var line = File.ReadLines(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).First();
        Assert.Single(FixtureReading.FromText(line, InputFormat.Jsonl));
    }

    [Fact]
    public void Jsonl_partial_last_line_of_a_killed_run_names_the_line()
    {
        var lines = File.ReadLines(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).Take(3).ToList();
        var text = string.Join("\n", lines.Take(2)) + "\n" + lines[2][..(lines[2].Length / 2)];
        var e = FixtureReading.Fails(text, InputFormat.Jsonl);
        Assert.StartsWith("line 3", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Jsonl_wrong_type_names_line_and_field()
    {
        var line = File.ReadLines(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).First().Replace("\"n_threads\": 2", "\"n_threads\": \"two\"", StringComparison.Ordinal);
        var e = FixtureReading.Fails("\n" + line, InputFormat.Jsonl);
        Assert.Equal("line 2, field n_threads: expected an integer, got \"two\"", e.Message);
    }

    [Fact]
    public void Csv_quotes_are_undone_and_duplicate_header_columns_rejected()
    {
        var csv = Fixtures.Text("llama-bench/formats/small_p64_n16_r3.csv").Replace("\"tiny-llama-small-f32.gguf\"", "\"a \"\"quoted\"\", name.gguf\"", StringComparison.Ordinal);
        Assert.Equal("a \"quoted\", name.gguf", FixtureReading.FromText(csv, InputFormat.Csv)[0].Get("model_filename").Text);

        var header = Fixtures.Text("llama-bench/formats/small_p64_n16_r3.csv").Split('\n')[0];
        var dup = FixtureReading.Fails(header.Replace("n_gen", "n_prompt", StringComparison.Ordinal) + "\n", InputFormat.Csv);
        Assert.Contains("'n_prompt' twice", dup.Message);
    }

    [Fact]
    public void Md_reads_depth_and_combined_tests_and_overflowing_columns()
    {
        var multi = FixtureReading.Records("llama-bench/formats/small_multi.md");
        var pg = multi.Single(r => r.Get("n_threads").Integer == 2 && r.NPrompt == 32 && r.NGen == 16 && r.NDepth == 32);
        Assert.Equal(16139.01, pg.AvgTs);
        Assert.Equal(180.98, pg.StddevTs);

        var old = FixtureReading.Records("llama-bench/old-2024/small_p64_n16_r3.md");
        Assert.Equal([29418.10, 6568.78], old.Select(r => r.AvgTs));
        Assert.Equal("ad675e1c6", old[0].BuildCommit);
    }

    [Fact]
    public void Md_of_before_2024_05_with_spaced_test_names_reads()
    {
        const string md = """
            | model                          |       size |     params | backend    |    threads | test       |              t/s |
            | ------------------------------ | ---------: | ---------: | ---------- | ---------: | ---------- | ---------------: |
            | llama 7B mostly Q4_0           |   3.56 GiB |     6.74 B | CUDA       |          8 | pp 512     | 2345.67 ± 12.34 |
            | llama 7B mostly Q4_0           |   3.56 GiB |     6.74 B | CUDA       |          8 | tg 128     | 98.76 ± 1.23 |

            build: 8e672efe (1430)
            """;
        var rows = FixtureReading.FromText(md, InputFormat.Md);
        Assert.Equal([(512L, 0L), (0L, 128L)], rows.Select(r => (r.NPrompt, r.NGen)));
        Assert.Equal(6_740_000_000, rows[0].Get("model_n_params").Integer);
        Assert.Equal((long)Math.Round(3.56 * (1L << 30)), rows[0].Get("model_size").Integer);
        Assert.Equal("CUDA", rows[0].Get("backends").Text);
        Assert.Equal(1430, rows[0].Get("build_number").Integer);
    }

    [Fact]
    public void Md_table_that_is_not_llama_bench_is_rejected()
    {
        Assert.Contains("not llama-bench output", FixtureReading.Fails("| a | b |\n| - | - |\n| 1 | 2 |\n", InputFormat.Md).Message);
    }
}
