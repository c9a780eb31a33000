using BenchGate.Compare;
using BenchGate.Detection;
using ScottPlot;
using SkiaSharp;

namespace BenchGate.Charts;

/// <summary>
/// Draws a <see cref="CompareMatrix"/> as a PNG forest plot: one panel per model or backend, one line per test with its
/// speedup and interval (red for a regression, green for an improvement), the column's geometric mean at the bottom,
/// and a dashed line at 1 (no change).
/// </summary>
public static class MatrixPlot
{
    private const int PanelWidth = 800;
    private const int TitleHeight = 50;
    private static readonly Color Regression = Color.FromHex("#d62728");
    private static readonly Color Improvement = Color.FromHex("#2ca02c");
    private static readonly Color Neutral = Color.FromHex("#555555");

    public static void SavePng(CompareMatrix matrix, string title, string path)
    {
        ScottPlot.Fonts.Default = "DejaVu Sans";
        var columns = matrix.Columns.Count == 1 ? 1 : 2;
        var rows = (matrix.Columns.Count + columns - 1) / columns;
        var panelHeight = Math.Max(300, 110 + (26 * (matrix.Rows.Count + 1)));
        using var surface = SKSurface.Create(new SKImageInfo(PanelWidth * columns, (panelHeight * rows) + TitleHeight));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using (var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold), 22))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.DrawText(title, PanelWidth * columns / 2f, 34, SKTextAlign.Center, font, paint);
        }

        // One x range for every panel, so that the models or backends can be compared by eye. A geometric mean over two
        // or three benchmarks can have a very wide interval: it is cut at the range's edge rather than widen it.
        var xs = matrix.Rows.SelectMany(r => r.Cells).OfType<MatrixCell>().SelectMany(c => new[] { c.Speedup, c.Low ?? c.Speedup, c.High ?? c.Speedup })
            .Concat(matrix.Summaries.Select(s => s.GeometricMean)).Where(double.IsFinite).Append(1).ToList();
        var pad = Math.Max(0.01, (xs.Max() - xs.Min()) * 0.05);
        var range = (Low: xs.Min() - pad, High: xs.Max() + pad);
        for (var c = 0; c < matrix.Columns.Count; c++)
        {
            var bytes = Panel(matrix, c, range).GetImage(PanelWidth, panelHeight).GetImageBytes(ImageFormat.Png);
            using var image = SKImage.FromEncodedData(bytes);
            canvas.DrawImage(image, (c % columns) * PanelWidth, TitleHeight + ((c / columns) * panelHeight));
        }

        using var png = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static Plot Panel(CompareMatrix matrix, int column, (double Low, double High) range)
    {
        var plot = new Plot();
        var ticks = new List<Tick>();
        // Top to bottom in the table's order: row i at y = -i, the geometric mean one step below the last.
        for (var i = 0; i < matrix.Rows.Count; i++)
        {
            ticks.Add(new Tick(-i, Shorten(matrix.Rows[i].Label)));
            if (matrix.Rows[i].Cells[column] is { } cell)
            {
                Interval(plot, -i, cell.Speedup, cell.Low, cell.High, cell.Verdict switch
                {
                    Verdict.Regression => Regression,
                    Verdict.Improvement => Improvement,
                    _ => Neutral,
                }, MarkerShape.FilledCircle);
            }
        }

        var summary = matrix.Summaries[column];
        var y = -matrix.Rows.Count;
        ticks.Add(new Tick(y, "geometric mean"));
        if (summary.Benchmarks > 0)
        {
            var color = summary.High < 1 ? Regression : summary.Low > 1 ? Improvement : Colors.Black;
            Interval(plot, y, summary.GeometricMean, summary.Low is { } l ? Math.Max(l, range.Low) : null, summary.High is { } h ? Math.Min(h, range.High) : null,
                color, MarkerShape.FilledDiamond);
        }

        var one = plot.Add.VerticalLine(1);
        one.LinePattern = LinePattern.Dashed;
        one.Color = Colors.Gray;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.SetLimits(range.Low, range.High, y - 0.8, 0.8);
        plot.Title(matrix.Columns[column], 14);
        plot.XLabel($"speedup (compared / baseline t/s, {matrix.Level} interval)", 13);
        return plot;
    }

    private static void Interval(Plot plot, double y, double x, double? low, double? high, Color color, MarkerShape shape)
    {
        if (low is { } l && high is { } h && double.IsFinite(l) && double.IsFinite(h))
        {
            var line = plot.Add.Line(l, y, h, y);
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 0;
        }

        if (double.IsFinite(x))
        {
            var marker = plot.Add.Marker(x, y, shape, 10);
            marker.Color = color;
        }
    }

    private static string Shorten(string label) => label.Length > 40 ? label[..39] + "…" : label;
}
