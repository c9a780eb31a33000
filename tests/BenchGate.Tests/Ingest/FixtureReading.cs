using BenchGate.Ingest;
using BenchGate.Model;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Ingest;

/// <summary>Reads a fixture the way ingest does: detect, read, normalise.</summary>
internal static class FixtureReading
{
    public static InputFormat Detect(string relative)
    {
        var bytes = File.ReadAllBytes(Fixtures.Path(relative));
        return FormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FormatDetector.PrefixLength)));
    }

    public static List<BenchmarkRecord> Records(string relative)
    {
        using var stream = Fixtures.Open(relative);
        return Records(stream, Detect(relative));
    }

    public static List<BenchmarkRecord> Records(Stream stream, InputFormat format) =>
        [.. TextFormatReaders.Open(format, stream).Select(RecordNormalizer.Normalize)];

    public static List<BenchmarkRecord> FromText(string text, InputFormat format) =>
        Records(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), format);

    public static InputException Fails(string text, InputFormat format) =>
        Assert.Throws<InputException>(() => FromText(text, format));
}
