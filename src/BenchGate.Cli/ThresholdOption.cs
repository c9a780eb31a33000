using System.CommandLine;
using System.Globalization;

namespace BenchGate.Cli;

/// <summary>The --threshold option of every judging command; defaults to $REGRESSION_THRESHOLD, then the spec's 5.0.</summary>
internal static class ThresholdOption
{
    public static Option<double> Create(CliContext context, string what = "regression threshold") => new("--threshold")
    {
        Description = $"{what} in percent; default $REGRESSION_THRESHOLD or 5.0",
        DefaultValueFactory = _ => Parse(context.Environment("REGRESSION_THRESHOLD")),
    };

    private static double Parse(string? text) =>
        text is { Length: > 0 } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : 5.0;
}
