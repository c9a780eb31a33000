using System.Text;
using BenchGate.Ingest;
using CsCheck;

namespace BenchGate.Tests.Ingest;

/// <summary>
/// Every reader, fed real llama-bench output that was cut, spliced, byte-flipped or nested, either reads records or
/// says what is wrong with an <see cref="InputException"/>: never any other exception, never a hang.
/// </summary>
public sealed class ReaderFuzzTests
{
    public static TheoryData<string, InputFormat> Inputs => new()
    {
        { "llama-bench/formats/small_multi.jsonl", InputFormat.Jsonl },
        { "llama-bench/formats/small_multi.json", InputFormat.Json },
        { "llama-bench/formats/small_multi.csv", InputFormat.Csv },
        { "llama-bench/formats/small_multi.md", InputFormat.Md },
        { "llama-bench/formats/small_multi.sql", InputFormat.Sql },
        { "llama-bench/old-2024/small_multi.json", InputFormat.Json },
    };

    // Mutations a real file suffers: truncation, a chunk repeated, bytes replaced (with characters that mean something to
    // some format), a region deleted, deep nesting inserted.
    private static Gen<string> Mutated(string text) => Gen.OneOf(
        Gen.Int[0, text.Length].Select(n => text[..n]),
        Gen.Select(Gen.Int[0, text.Length], Gen.Int[0, 200], (at, len) => text.Insert(at, text.Substring(at, Math.Min(len, text.Length - at)))),
        Gen.Select(Gen.Int[0, Math.Max(0, text.Length - 1)], Gen.Char["{}[]\",:'|;\n\r\\0-9eE+-.NaIinf\u0000\u00e9"].Array[1, 8],
            (at, chars) => text[..at] + new string(chars) + text[Math.Min(text.Length, at + chars.Length)..]),
        Gen.Select(Gen.Int[0, text.Length], Gen.Int[0, 400], (at, len) => text.Remove(at, Math.Min(len, text.Length - at))),
        Gen.Select(Gen.Int[0, text.Length], Gen.Int[1, 3000], (at, depth) => text.Insert(at, new string('[', depth) + new string(']', depth))));

    [Theory]
    [MemberData(nameof(Inputs))]
    public void A_mutated_real_file_is_read_or_refused_with_a_reason(string fixture, InputFormat format)
    {
        var text = BenchGate.Tests.Shared.Fixtures.Text(fixture);
        Mutated(text).Sample(mutated =>
        {
            try
            {
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(mutated));
                _ = TextFormatReaders.Open(format, stream).Select(RecordNormalizer.Normalize).Count();
            }
            catch (InputException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }, iter: 300, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void Random_bytes_are_refused_with_a_reason_in_every_format()
    {
        Gen.Byte.Array[0, 2000].Sample(bytes =>
        {
            foreach (var format in new[] { InputFormat.Jsonl, InputFormat.Json, InputFormat.Csv, InputFormat.Md, InputFormat.Sql })
            {
                try
                {
                    using var stream = new MemoryStream(bytes);
                    _ = TextFormatReaders.Open(format, stream).Select(RecordNormalizer.Normalize).Count();
                }
                catch (InputException)
                {
                }
            }

            try
            {
                _ = FormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FormatDetector.PrefixLength)));
            }
            catch (InputException)
            {
            }
        }, iter: 300, seed: "0N0XIzNsQ0O3");
    }
}
