using System.CommandLine;
using System.Globalization;

namespace BenchGate.Cli;

/// <summary>Options that are durations in seconds: positive and at most a week, or the parser says so.</summary>
internal static class DurationOption
{
    public const double MaxSeconds = 7 * 24 * 3600;

    public static Option<double> Create(string name, string description, double defaultSeconds)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultSeconds };
        option.Validators.Add(result =>
        {
            // A value that is not a number is the parser's own error; this judges numbers only.
            if (result.Tokens.Count == 1 && double.TryParse(result.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && !(value > 0 && value <= MaxSeconds))
            {
                result.AddError($"{name} must be a number of seconds above 0 and at most a week ({MaxSeconds.ToString(CultureInfo.InvariantCulture)}), got {value.ToString(CultureInfo.InvariantCulture)}");
            }
        });
        return option;
    }
}
