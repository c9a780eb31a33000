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
}
