using BenchGate.Reports;
using ScottPlot;
using SkiaSharp;

namespace BenchGate.Charts;

/// <summary>Draws a <see cref="ComparePlotModel"/> as a PNG, panels in two columns, as compare-llama-bench.py lays them out.</summary>
public static class ComparePlot
{
    private const int PanelWidth = 800;
    private const int PanelHeight = 400;
    private const int TitleHeight = 50;

    public static void SavePng(ComparePlotModel model, string path)
    {
        ScottPlot.Fonts.Default = "DejaVu Sans";
        var columns = model.Panels.Count == 1 ? 1 : 2;
        var rows = (model.Panels.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(PanelWidth * columns, (PanelHeight * rows) + TitleHeight));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using (var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold), 22))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.DrawText(model.Title, PanelWidth * columns / 2f, 34, SKTextAlign.Center, font, paint);
        }

        for (var i = 0; i < model.Panels.Count; i++)
        {
            var bytes = Panel(model, model.Panels[i]).GetImage(PanelWidth, PanelHeight).GetImageBytes(ImageFormat.Png);
            using var image = SKImage.FromEncodedData(bytes);
            canvas.DrawImage(image, (i % columns) * PanelWidth, TitleHeight + ((i / columns) * PanelHeight));
        }

        using var png = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static Plot Panel(ComparePlotModel model, PlotPanel panel)
    {
        var plot = new Plot();
        // A log2 axis is drawn by plotting log2(x) and labelling the ticks with x, as matplotlib's base-2 scale shows them.
        var xs = panel.Points.Select(p => model.LogScaleX && p.X > 0 ? Math.Log2(p.X) : p.X).ToArray();
        var baseline = plot.Add.Scatter(xs, [.. panel.Points.Select(p => p.Baseline)], Colors.SkyBlue);
        baseline.LegendText = model.BaselineName;
        baseline.LineWidth = 2;
        baseline.MarkerShape = MarkerShape.FilledCircle;
        baseline.MarkerSize = 8;
        var current = plot.Add.Scatter(xs, [.. panel.Points.Select(p => p.Current)], Colors.LightCoral);
        current.LegendText = model.CompareName;
        current.LineWidth = 2;
        current.LinePattern = LinePattern.Dashed;
        current.MarkerShape = MarkerShape.FilledSquare;
        current.MarkerSize = 8;
        if (model.LogScaleX)
        {
            var ticks = panel.Points.Select(p => p.X).Where(x => x > 0).Distinct().Select(x => new Tick(Math.Log2(x), x.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        }

        plot.Title(panel.Title, 14);
        plot.XLabel(model.XLabel, 14);
        plot.YLabel(model.YLabel, 14);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Margins(0.05, 0.15);
        return plot;
    }
}
