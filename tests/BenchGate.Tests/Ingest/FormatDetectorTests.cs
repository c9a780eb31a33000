using BenchGate.Ingest;

namespace BenchGate.Tests.Ingest;

public sealed class FormatDetectorTests
{
    [Theory]
    [InlineData("llama-bench/formats/small_multi.csv", InputFormat.Csv)]
    [InlineData("llama-bench/formats/small_multi.json", InputFormat.Json)]
    [InlineData("llama-bench/formats/small_multi.jsonl", InputFormat.Jsonl)]
    [InlineData("llama-bench/formats/small_multi.md", InputFormat.Md)]
    [InlineData("llama-bench/formats/small_multi.sql", InputFormat.Sql)]
    [InlineData("llama-bench/formats/small_oe.stderr.md", InputFormat.Md)]
    [InlineData("llama-bench/old-2024/small_p64_n16_r3.csv", InputFormat.Csv)]
    [InlineData("llama-bench/old-2024/small_p64_n16_r3.sql", InputFormat.Sql)]
    [InlineData("llama-bench/old-2024/old.sqlite", InputFormat.Sqlite)]
    [InlineData("llama-bench/aa-cpu-small/aa.sqlite", InputFormat.Sqlite)]
    [InlineData("llama-bench/logs/missing_model.json", InputFormat.Json)]
    public void Detects_every_llama_bench_format_from_content(string fixture, InputFormat expected) =>
        Assert.Equal(expected, FixtureReading.Detect(fixture));

    [Fact]
    public void Empty_input_is_explained()
    {
        var e = Assert.Throws<InputException>(() => FormatDetector.Detect("  \n"u8));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Unknown_content_names_what_it_starts_with()
    {
        var e = Assert.Throws<InputException>(() => FormatDetector.Detect("hello world\nmore"u8));
        Assert.Contains("\"hello world\"", e.Message);
        Assert.Contains("--format", e.Message);
    }
}
