using System.Globalization;
using System.Text;

namespace BenchGate.Site;

/// <summary>Escaping and number formats for the pages (invariant culture: a site built on any machine reads the same).</summary>
internal static class Html
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("&<>\"'");

    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        // Most values (commits, numbers, field values) need nothing: a site of 1,000 pages encodes millions of them.
        if (text.AsSpan().IndexOfAny(Special) < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            _ = ch switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '"' => sb.Append("&quot;"),
                '\'' => sb.Append("&#39;"),
                _ => sb.Append(ch),
            };
        }

        return sb.ToString();
    }

    public static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A signed percentage (+4.2%, −11.0%), the way compare and detect print changes.</summary>
    public static string Percent(double? value) => value is not { } v || !double.IsFinite(v) ? "" : (v >= 0 ? "+" : "−") + Math.Abs(v).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    public static string Short(string? commit) => commit is null ? "" : commit.Length > 9 && commit.All(char.IsAsciiHexDigit) ? commit[..9] : commit;

    /// <summary>A value in the metric's unit: tokens/s as is, latency in ms, sizes in MiB.</summary>
    public static string Value(string metric, double value) => metric switch
    {
        "avg_ts" => Number(value, "0.00") + " t/s",
        "avg_ns" => Number(value / 1e6, "0.000") + " ms",
        "model_size" => Number(value / 1048576.0, "0.0") + " MiB",
        "peak_rss_mb" => Number(value, "0.0") + " MB",
        _ => Number(value, "0.###"),
    };

    /// <summary>The metric's name on a button or axis.</summary>
    public static string MetricLabel(string metric) => metric switch
    {
        "avg_ts" => "Tokens/s",
        "avg_ns" => "Latency",
        "model_size" => "Model size",
        "peak_rss_mb" => "Peak memory",
        _ => metric,
    };

    /// <summary>A number for a data-* attribute or script, round-trippable and invariant.</summary>
    public static string Data(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null";
}
