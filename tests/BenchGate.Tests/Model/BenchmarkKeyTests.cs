using BenchGate.Ingest;
using BenchGate.Model;

namespace BenchGate.Tests.Model;

/// <summary>A key's identity and order come from its values; its canonical text is composed only when asked for.</summary>
public sealed class BenchmarkKeyTests
{
    private static BenchmarkKey Key(params (string Name, FieldValue Value)[] fields)
    {
        var raw = new RawRecord(1);
        raw.Add("build_commit", FieldValue.FromText("abc1234"));
        raw.Add("avg_ts", FieldValue.FromReal(100.5));
        foreach (var (name, value) in fields)
        {
            raw.Add(name, value);
        }

        return RecordNormalizer.Normalize(raw).Key;
    }

    private static BenchmarkKey Of(string model, long batch, long prompt, string cpu, long depth = 0) => Key(
        ("model_filename", FieldValue.FromText(model)), ("n_batch", FieldValue.FromInteger(batch)), ("n_prompt", FieldValue.FromInteger(prompt)),
        ("n_gen", FieldValue.FromInteger(0)), ("cpu_info", FieldValue.FromText(cpu)), ("n_depth", FieldValue.FromInteger(depth)));

    [Fact]
    public void Keys_order_as_their_canonical_texts_compare_ordinally_also_where_one_value_prefixes_another()
    {
        // Values that prefix each other in the first key field (cpu_info), in fields between (model, batch, prompt) and in
        // the last (n_depth), which no separator follows; values with a character below the separator where another ends.
        var keys = new List<BenchmarkKey>();
        // A tab sorts below the separator (U+001F is 31, a tab 9): "x\ty" comes before "x" in the texts, as here.
        foreach (var model in new[] { "a.gguf", "a b.gguf", "a", "a\tb", "b.gguf", "A.gguf" })
        {
            foreach (var batch in new long[] { 1, 10, 128, 2048, 9 })
            {
                foreach (var prompt in new long[] { 5, 51, 512 })
                {
                    foreach (var cpu in new[] { "x", "x y", "xx", "x\ty" })
                    {
                        foreach (var depth in new long[] { 0, 4, 40, 4096 })
                        {
                            keys.Add(Of(model, batch, prompt, cpu, depth));
                        }
                    }
                }
            }
        }

        var byText = keys.OrderBy(k => k.Canonical, StringComparer.Ordinal).ToList();
        var byValues = keys.Order(BenchmarkKey.CanonicalOrder).ToList();

        Assert.Equal(byText.Select(k => k.Canonical), byValues.Select(k => k.Canonical));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void A_key_read_back_from_its_canonical_text_equals_the_key_of_the_record()
    {
        var key = Of("models/tiny.gguf", 2048, 512, "AMD EPYC");

        var parsed = BenchmarkKey.Parse(key.Canonical);

        Assert.Equal(key, parsed);
        Assert.Equal(key.GetHashCode(), parsed.GetHashCode());
        Assert.Equal(key.Hash, parsed.Hash);
        Assert.Equal("tiny.gguf", parsed["model_filename"]);
        Assert.NotEqual(key, Of("models/tiny.gguf", 2048, 51, "AMD EPYC"));
    }

    [Fact]
    public void Keys_read_from_their_stored_utf8_share_repeated_values_and_equal_the_record_keys()
    {
        // A value holding '=' and the separator's neighbours, and one longer than the interner keeps (96 bytes).
        var longModel = string.Concat(Enumerable.Repeat("tiny-llama-", 12)) + "f32.gguf";
        var first = Of("models/" + longModel, 2048, 512, "AMD EPYC 7763 64-Core Processor · ß x=y=z");
        var second = Of("models/" + longModel, 2048, 64, "AMD EPYC 7763 64-Core Processor · ß x=y=z");
        var interner = new BenchGate.Ingest.Readers.Utf8Interner();

        var a = BenchmarkKey.Parse(System.Text.Encoding.UTF8.GetBytes(first.Canonical), interner);
        var b = BenchmarkKey.Parse(System.Text.Encoding.UTF8.GetBytes(second.Canonical), interner);

        // Hashed before the parsed key's text is composed: the hash from the values, not from the stored text.
        Assert.Equal(first.Hash, a.Hash);
        Assert.Equal(first, a);
        Assert.Equal(second, b);
        Assert.Equal(first.Canonical, a.Canonical);
        Assert.Equal("AMD EPYC 7763 64-Core Processor · ß x=y=z", a["cpu_info"]);
        Assert.Equal(longModel, a["model_filename"]);
        Assert.Same(a["cpu_info"], b["cpu_info"]);
        Assert.Equal("512", a["n_prompt"]);
        Assert.Equal("64", b["n_prompt"]);
    }

    [Fact]
    public void A_key_hash_is_sha256_of_its_utf8_text_also_when_the_text_is_long_and_holds_characters_outside_the_bmp()
    {
        foreach (var model in new[] { "tiny.gguf", string.Concat(Enumerable.Repeat("🦙é", 700)) + ".gguf", "x" + string.Concat(Enumerable.Repeat("🦙", 1500)) })
        {
            // Hashed before its text is ever composed, on a thread of its own so that the reused builder starts empty and
            // its chunks split the text where the characters fall (the mutation that encodes chunk by chunk fails here).
            var key = Of(model, 2049, 512, "AMD EPYC");
            string? hash = null;
            var thread = new Thread(() => hash = key.Hash);
            thread.Start();
            thread.Join();
            var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key.Canonical)).AsSpan(0, 8));

            Assert.Equal(expected, hash);
            Assert.Equal(expected, BenchmarkKey.Parse(key.Canonical).Hash);
        }
    }

    [Theory]
    [InlineData("missing a field", "a benchmark key has")]
    [InlineData("one field too many", "a benchmark key has")]
    [InlineData("a field renamed", "should be")]
    [InlineData("a name without its '='", "should be")]
    public void A_malformed_stored_key_is_refused_with_what_is_wrong(string damage, string message)
    {
        var parts = Of("tiny.gguf", 2048, 512, "x").Canonical.Split('\u001f').ToList();
        switch (damage)
        {
            case "missing a field":
                parts.RemoveAt(parts.Count - 1);
                break;
            case "one field too many":
                parts.Add("extra=1");
                break;
            case "a field renamed":
                parts[3] = "renamed" + parts[3];
                break;
            default:
                parts[3] = parts[3][..parts[3].IndexOf('=', StringComparison.Ordinal)];
                break;
        }

        var canonical = string.Join('\u001f', parts);
        Assert.Contains(message, Assert.Throws<FormatException>(() => BenchmarkKey.Parse(canonical)).Message, StringComparison.Ordinal);
    }
}
