using System.Globalization;
using System.Text;

namespace BenchGate.Site;

/// <summary>One point of a chart: a commit's value and its interval.</summary>
internal sealed record ChartPoint(string Commit, double Value, double Low, double High, string Tooltip);

/// <summary>A change point drawn on a chart: where, how much, and the page it links to.</summary>
internal sealed record ChartMark(int Index, string Commit, string Label, string Href, bool Regression);

/// <summary>
/// History charts and sparklines as inline SVG. Measured against a vendored chart library (bench/RESULTS.md, dashboard):
/// the SVG is drawn once when the site is written, so a page paints without running a script, and the site carries no
/// library. A history chart is a group, not an image: its change points are links.
/// </summary>
internal static class SvgChart
{
    private const int Width = 900;
    private const int Height = 320;
    private const int Left = 72;
    private const int Right = 16;
    private const int Top = 16;
    private const int Bottom = 48;

    /// <summary>Up to this many points a chart draws each as a circle with its tooltip; beyond, site.js shows the one under the pointer.</summary>
    public const int MaximumCircles = 150;

    /// <summary>Appends a history chart to <paramref name="sb"/>.</summary>
    public static void History(StringBuilder sb, string id, string caption, string metric, IReadOnlyList<ChartPoint> points, IReadOnlyList<ChartMark> marks, (string Label, int Index)? baseline)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {Width} {Height}\" role=\"group\" aria-labelledby=\"{id}-t\" data-points=\"{points.Count}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-t\">{Html.Encode(caption)}</title>");
        if (points.Count == 0)
        {
            sb.Append("<text x=\"450\" y=\"160\" text-anchor=\"middle\">no values</text></svg>");
            return;
        }

        var lo = points.Min(p => Math.Min(p.Low, p.Value));
        var hi = points.Max(p => Math.Max(p.High, p.Value));
        var pad = (hi - lo) * 0.08;
        if (pad <= 0)
        {
            pad = Math.Abs(hi) * 0.05 + 1e-9;
        }

        lo -= pad;
        hi += pad;
        double X(int i) => points.Count == 1 ? Left + ((Width - Left - Right) / 2.0) : Left + (i * (Width - Left - Right) / (double)(points.Count - 1));
        double Y(double v) => Top + ((hi - v) * (Height - Top - Bottom) / (hi - lo));
        // Rounded and formatted by the interpolation handler: a custom format string per coordinate was most of a
        // 1,000-page site's rendering.
        static double F(double v) => Math.Round(v, 1);

        Axes(sb, metric, lo, hi, Y, points, X);
        sb.Append("<path class=\"band\" d=\"M");
        for (var i = 0; i < points.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : " L")}{F(X(i))} {F(Y(points[i].High))}");
        }

        for (var i = points.Count - 1; i >= 0; i--)
        {
            sb.Append(CultureInfo.InvariantCulture, $" L{F(X(i))} {F(Y(points[i].Low))}");
        }

        sb.Append(" Z\"/><polyline class=\"line\" points=\"");
        for (var i = 0; i < points.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : " ")}{F(X(i))},{F(Y(points[i].Value))}");
        }

        sb.Append("\"/>");
        if (baseline is { } b)
        {
            var y = F(Y(points[b.Index].Value));
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"baseline\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y}\" y2=\"{y}\" data-commit=\"{Html.Encode(points[b.Index].Commit)}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text class=\"baseline-label\" x=\"{Width - Right - 4}\" y=\"{y}\" dy=\"-4\" text-anchor=\"end\">{Html.Encode(b.Label)}</text>");
        }

        foreach (var m in marks)
        {
            var x = F((X(m.Index - 1 < 0 ? 0 : m.Index - 1) + X(m.Index)) / 2);
            sb.Append(CultureInfo.InvariantCulture, $"<a class=\"cp {(m.Regression ? "regression" : "improvement")}\" href=\"{Html.Encode(m.Href)}\" data-commit=\"{Html.Encode(m.Commit)}\" data-index=\"{m.Index}\">");
            sb.Append(CultureInfo.InvariantCulture, $"<title>{Html.Encode(m.Label)}</title><line x1=\"{x}\" x2=\"{x}\" y1=\"{Top}\" y2=\"{Height - Bottom}\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{Top + 12}\" dx=\"4\">{Html.Encode(m.Label)}</text></a>");
        }

        if (points.Count <= MaximumCircles)
        {
            for (var i = 0; i < points.Count; i++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<circle class=\"pt\" cx=\"{F(X(i))}\" cy=\"{F(Y(points[i].Value))}\" r=\"3\" data-commit=\"{Html.Encode(points[i].Commit)}\"><title>{Html.Encode(points[i].Tooltip)}</title></circle>");
            }
        }
        else
        {
            // A long history carries its commits and tooltips once, for site.js to show the point under the pointer: a
            // circle with a title per point made a 500-commit page 180 KB and a 1,000-benchmark site 240 MB.
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"hover\" data-x0=\"{F(X(0))}\" data-dx=\"{X(1) - X(0):R}\" data-commits=\"{Html.Encode(string.Join('|', points.Select(p => p.Commit)))}\"");
            sb.Append(CultureInfo.InvariantCulture, $" data-ys=\"{string.Join('|', points.Select(p => F(Y(p.Value)).ToString(CultureInfo.InvariantCulture)))}\" data-tips=\"{Html.Encode(string.Join('|', points.Select(p => p.Tooltip)))}\"></g>");
        }

        sb.Append("</svg>");
    }

    private static void Axes(StringBuilder sb, string metric, double lo, double hi, Func<double, double> y, IReadOnlyList<ChartPoint> points, Func<int, double> x)
    {
        sb.Append(CultureInfo.InvariantCulture, $"<g class=\"axis\"><line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Height - Bottom}\"/><line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\"/>");
        for (var t = 0; t <= 4; t++)
        {
            var v = lo + ((hi - lo) * t / 4);
            var ty = y(v).ToString("0.#", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{ty}\" y2=\"{ty}\"/><text x=\"{Left - 6}\" y=\"{ty}\" dy=\"4\" text-anchor=\"end\">{Html.Encode(Html.Value(metric, v))}</text>");
        }

        var step = Math.Max(1, (int)Math.Ceiling(points.Count / 8.0));
        for (var i = 0; i < points.Count; i += step)
        {
            var tx = x(i).ToString("0.#", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{tx}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Html.Encode(Html.Short(points[i].Commit))}</text>");
        }

        sb.Append("</g>");
    }

    /// <summary>A 120 × 28 line of at most 60 buckets (each the mean of its points), for the index.</summary>
    public static string Sparkline(IReadOnlyList<double> values, string label)
    {
        const int w = 120, h = 28, buckets = 60;
        var sampled = values.Count <= buckets ? values.ToArray()
            : Enumerable.Range(0, buckets).Select(b => values.Skip(b * values.Count / buckets).Take(((b + 1) * values.Count / buckets) - (b * values.Count / buckets)).Average()).ToArray();
        var min = sampled.Min();
        var max = sampled.Max();
        var span = max - min <= 0 ? 1 : max - min;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"spark\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{Html.Encode(label)}\"><polyline points=\"");
        for (var i = 0; i < sampled.Length; i++)
        {
            var px = sampled.Length == 1 ? w / 2.0 : i * (w - 2) / (double)(sampled.Length - 1) + 1;
            var py = h - 2 - ((sampled[i] - min) * (h - 4) / span);
            sb.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : " ")}{px:0.#},{py:0.#}");
        }

        sb.Append("\"/></svg>");
        return sb.ToString();
    }
}
