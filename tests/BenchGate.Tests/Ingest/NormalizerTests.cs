using BenchGate.Ingest;
using BenchGate.Model;

namespace BenchGate.Tests.Ingest;

public sealed class NormalizerTests
{
    private static RawRecord Raw(params (string Name, FieldValue Value)[] fields)
    {
        var raw = new RawRecord(7);
        raw.Add("build_commit", FieldValue.FromText("abc1234"));
        raw.Add("n_prompt", FieldValue.FromInteger(512));
        raw.Add("n_gen", FieldValue.FromInteger(0));
        raw.Add("avg_ts", FieldValue.FromReal(100.5));
        foreach (var (name, value) in fields)
        {
            raw.Add(name, value);
        }

        return raw;
    }

    private static FieldValue T(string s) => FieldValue.FromText(s);

    private static FieldValue B(bool b) => FieldValue.FromBoolean(b);

    [Theory]
    [InlineData(false, false, false, false, "0", "CPU")]
    [InlineData(true, false, false, false, "0", "CUDA")]
    [InlineData(false, true, false, true, "0", "Metal,BLAS")]
    [InlineData(false, false, true, false, "host:50052", "Vulkan,RPC")]
    public void Per_backend_flags_become_backends(bool cuda, bool metal, bool vulkan, bool blas, string rpc, string expected)
    {
        var r = RecordNormalizer.Normalize(Raw(("cuda", B(cuda)), ("metal", B(metal)), ("vulkan", B(vulkan)), ("blas", B(blas)),
            ("gpu_blas", B(cuda || metal || vulkan)), ("rpc", T(rpc))));
        Assert.Equal(expected, r.Get("backends").Text);
        Assert.Contains(r.Extras, e => e.Key == "cuda");
    }

    [Fact]
    public void Backends_come_in_registration_order_whatever_the_input_order()
    {
        var r = RecordNormalizer.Normalize(Raw(("blas", B(true)), ("rpc", T("h:1")), ("vulkan", B(true)), ("cuda", B(true))));
        Assert.Equal("CUDA,Vulkan,BLAS,RPC", r.Get("backends").Text);
    }

    [Theory]
    [InlineData("1", null, "mmap")]
    [InlineData("0", null, "none")]
    [InlineData("1", "1", "dio")]
    [InlineData("0", "0", "none")]
    public void Use_mmap_and_use_direct_io_become_load_mode(string mmap, string? dio, string expected)
    {
        var fields = new List<(string, FieldValue)> { ("use_mmap", T(mmap)) };
        if (dio is not null)
        {
            fields.Add(("use_direct_io", T(dio)));
        }

        Assert.Equal(expected, RecordNormalizer.Normalize(Raw([.. fields])).Get("load_mode").Text);
    }

    [Fact]
    public void A_load_mode_present_wins_over_legacy_flags()
    {
        var r = RecordNormalizer.Normalize(Raw(("load_mode", T("auto")), ("use_mmap", B(true))));
        Assert.Equal("auto", r.Get("load_mode").Text);
    }

    [Theory]
    [InlineData(true, "f16")]
    [InlineData(false, "f32")]
    public void F16_kv_of_2023_becomes_cache_types(bool f16, string type)
    {
        var r = RecordNormalizer.Normalize(Raw(("f16_kv", B(f16))));
        Assert.Equal(type, r.Get("type_k").Text);
        Assert.Equal(type, r.Get("type_v").Text);
    }

    [Theory]
    [InlineData("true", 1)]
    [InlineData("false", 0)]
    [InlineData("-1", -1)]
    [InlineData("auto", -1)]
    [InlineData("on", 1)]
    public void Flash_attn_text_forms_normalise_to_int(string text, long expected) =>
        Assert.Equal(expected, RecordNormalizer.Normalize(Raw(("flash_attn", T(text)))).Get("flash_attn").Integer);

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Flash_attn_json_bool_of_before_2026_05_31_becomes_int(bool value, long expected) =>
        Assert.Equal(expected, RecordNormalizer.Normalize(Raw(("flash_attn", B(value)))).Get("flash_attn").Integer);

    [Fact]
    public void Unknown_fields_are_kept_and_missing_ones_are_null()
    {
        var r = RecordNormalizer.Normalize(Raw(("future_field", T("x")), ("n_ctx_shift", FieldValue.FromInteger(3))));
        Assert.Equal(["future_field", "n_ctx_shift"], r.Extras.Select(e => e.Key));
        Assert.True(r.Get("n_depth").IsNull);
        Assert.Contains("n_depth", r.MissingFields);
        Assert.Equal("0", r.Key["n_depth"]);
    }

    [Theory]
    [InlineData("avg_ts", "NaN", "NaN")]
    [InlineData("avg_ts", "0", "must be positive")]
    [InlineData("avg_ts", "-3.5", "must be positive")]
    [InlineData("avg_ns", "0", "must be positive")]
    [InlineData("stddev_ts", "-1", "zero or more")]
    [InlineData("n_threads", "two", "expected an integer, got \"two\"")]
    [InlineData("cpu_strict", "7", "expected 0/1")]
    public void Values_no_real_run_produces_are_rejected_with_field_and_line(string field, string value, string problem)
    {
        var raw = new RawRecord(12);
        raw.Add("n_prompt", FieldValue.FromInteger(64));
        raw.Add("n_gen", FieldValue.FromInteger(0));
        if (field != "avg_ts")
        {
            raw.Add("avg_ts", FieldValue.FromReal(10));
        }

        raw.Add(field, T(value));
        var e = Assert.Throws<InputException>(() => RecordNormalizer.Normalize(raw));
        Assert.Contains($"line 12, field {field}", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_field_given_twice_is_the_broken_2025_04_28_layout_and_is_rejected()
    {
        var e = Assert.Throws<InputException>(() => RecordNormalizer.Normalize(Raw(("split_mode", T("layer")), ("split_mode", T("layer")))));
        Assert.Contains("2025-04-28", e.Message);
    }

    [Fact]
    public void A_test_without_tokens_is_rejected()
    {
        var raw = new RawRecord(3);
        raw.Add("n_prompt", FieldValue.FromInteger(0));
        raw.Add("n_gen", FieldValue.FromInteger(0));
        raw.Add("avg_ts", FieldValue.FromReal(1));
        Assert.Contains("n_prompt + n_gen > 0", Assert.Throws<InputException>(() => RecordNormalizer.Normalize(raw)).Message);
    }

    [Fact]
    public void Stddev_ns_is_recomputed_where_llama_bench_uint64_arithmetic_overflows()
    {
        // Five repetitions of ~1.9 s: the sum of squares (1.8e19) passes 2^64, so llama-bench prints garbage.
        long[] samples = [1_900_000_000, 1_910_000_000, 1_905_000_000, 1_895_000_000, 1_920_000_000];
        var raw = Raw(("stddev_ns", FieldValue.FromInteger(4_290_000_000)));
        raw.SamplesNs = [.. samples.Select(x => (double)x)];
        var r = RecordNormalizer.Normalize(raw);
        var mean = samples.Average(x => (double)x);
        var exact = Math.Sqrt(samples.Sum(x => (x - mean) * (x - mean)) / 4);
        Assert.Equal((long)Math.Round(exact), r.Get("stddev_ns").Integer);
        Assert.Equal(4_290_000_000, r.ReportedStddevNs);
        Assert.Equal(5, r.Repetitions);
        Assert.Equal(1e9 * 512 / 1_900_000_000, r.SamplesTs![0], 9);
    }

    [Fact]
    public void Non_positive_samples_are_rejected()
    {
        var raw = Raw();
        raw.SamplesNs = [1000, 0, 1000];
        Assert.Contains("repetition 2 is 0", Assert.Throws<InputException>(() => RecordNormalizer.Normalize(raw)).Message);
    }
}

/// <summary>Compact normalisation (what compare keeps of each of its many rows) against the whole record.</summary>
public sealed class CompactNormalizerTests
{
    [Theory]
    [InlineData("llama-bench/aa-cpu-small/aa.jsonl")]
    [InlineData("llama-bench/old-2024/small_multi.json")]
    public void A_compact_record_keeps_the_key_samples_and_its_layouts_fields_of_the_whole_one(string fixture)
    {
        var format = FixtureReading.Detect(fixture);
        using var first = BenchGate.Tests.Shared.Fixtures.Open(fixture);
        using var second = BenchGate.Tests.Shared.Fixtures.Open(fixture);
        var whole = TextFormatReaders.Open(format, first).Select(RecordNormalizer.Normalize).ToList();
        var compact = TextFormatReaders.Open(format, second).Select(r => RecordNormalizer.Normalize(r, FieldLayout.Compare)).ToList();

        Assert.Equal(whole.Count, compact.Count);
        foreach (var (w, c) in whole.Zip(compact))
        {
            Assert.Same(w.Key, c.Key);
            Assert.Equal(w.SamplesNs, c.SamplesNs);
            Assert.Equal(w.SamplesTs, c.SamplesTs);
            Assert.Empty(c.Extras);
            Assert.All(FieldLayout.Compare.Fields, f => Assert.Equal(w.Get(f.Ordinal), c.Get(f.Ordinal)));
            Assert.True(c.Get("cpu_info").IsNull, "fields outside the layout are not kept");
        }
    }

    [Fact]
    public void A_field_of_one_row_does_not_leak_into_the_next_row_normalised_into_the_same_array()
    {
        var withStddev = new RawRecord(1);
        var without = new RawRecord(2);
        foreach (var raw in new[] { withStddev, without })
        {
            raw.Add("build_commit", FieldValue.FromText("abc1234"));
            raw.Add("n_prompt", FieldValue.FromInteger(512));
            raw.Add("n_gen", FieldValue.FromInteger(0));
            raw.Add("avg_ts", FieldValue.FromReal(100.5));
        }

        withStddev.Add("stddev_ts", FieldValue.FromReal(2.5));

        Assert.Equal(2.5, RecordNormalizer.Normalize(withStddev, FieldLayout.Detect).StddevTs);
        Assert.Null(RecordNormalizer.Normalize(without, FieldLayout.Detect).StddevTs);
    }
}
