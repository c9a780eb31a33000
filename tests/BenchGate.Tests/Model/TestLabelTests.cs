using BenchGate.Model;

namespace BenchGate.Tests.Model;

public sealed class TestLabelTests
{
    [Theory]
    [InlineData(512, 0, 0, "pp512")]
    [InlineData(0, 128, 0, "tg128")]
    [InlineData(512, 128, 0, "pp512+tg128")]
    [InlineData(512, 0, 4096, "pp512@d4096")]
    public void Formats_like_compare_llama_bench(long p, long g, long d, string expected) =>
        Assert.Equal(expected, TestLabel.Format(p, g, d));

    [Theory]
    [InlineData("pp32+tg16 @ d32", 32, 16, 32)]
    [InlineData("pp 512", 512, 0, 0)]
    [InlineData("tg128", 0, 128, 0)]
    [InlineData("pp512@d4096", 512, 0, 4096)]
    public void Parses_md_labels_old_and_new(string label, long p, long g, long d)
    {
        Assert.True(TestLabel.TryParse(label, out var np, out var ng, out var nd));
        Assert.Equal((p, g, d), (np, ng, nd));
    }

    [Theory]
    [InlineData("")]
    [InlineData("xx12")]
    [InlineData("pp")]
    [InlineData("pp12+pp3")]
    [InlineData("pp12@x3")]
    public void Rejects_what_is_not_a_test_name(string label) => Assert.False(TestLabel.TryParse(label, out _, out _, out _));
}
