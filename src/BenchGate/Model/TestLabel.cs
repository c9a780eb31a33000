using System.Globalization;
using System.Text;

namespace BenchGate.Model;

/// <summary>llama-bench's name of a test: pp512, tg128, pp512+tg128, with @d4096 when a depth was prefilled.</summary>
public static class TestLabel
{
    /// <summary>compare-llama-bench.py's form: no spaces (<c>pp512@d4096</c>).</summary>
    public static string Format(long nPrompt, long nGen, long nDepth)
    {
        var sb = new StringBuilder();
        if (nPrompt > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"pp{nPrompt}");
        }

        if (nGen > 0)
        {
            sb.Append(sb.Length > 0 ? "+" : "").Append(CultureInfo.InvariantCulture, $"tg{nGen}");
        }

        if (nDepth > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"@d{nDepth}");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Parses the md column: <c>pp512</c>, <c>tg128</c>, <c>pp512+tg128</c>, <c>pp512 @ d4096</c>, and the
    /// pre-2024-05 forms with a space (<c>pp 512</c>).
    /// </summary>
    public static bool TryParse(string text, out long nPrompt, out long nGen, out long nDepth)
    {
        nPrompt = nGen = nDepth = 0;
        var s = text.Replace(" ", "", StringComparison.Ordinal);
        var at = s.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var depth = s[(at + 1)..];
            if (!depth.StartsWith('d') || !long.TryParse(depth.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out nDepth))
            {
                return false;
            }

            s = s[..at];
        }

        if (s.Length == 0)
        {
            return false;
        }

        foreach (var part in s.Split('+'))
        {
            if (part.Length < 3 || !long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            switch (part[..2])
            {
                case "pp" when nPrompt == 0: nPrompt = n; break;
                case "tg" when nGen == 0: nGen = n; break;
                default: return false;
            }
        }

        return nPrompt + nGen > 0;
    }
}
