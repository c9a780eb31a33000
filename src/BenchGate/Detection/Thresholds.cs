using BenchGate.Model;

namespace BenchGate.Detection;

/// <summary>
/// The threshold for a benchmark and metric, in percent: the global one (--threshold, 5.0), else the
/// metric's, else the last matching override (by backend, model, test and metric; '*' wildcards); never above
/// <see cref="CapPercent"/> when one is set (a pull request that asks for a stricter gate).
/// </summary>
public sealed record Thresholds(double DefaultPercent, IReadOnlyDictionary<string, double> PerMetric, IReadOnlyList<ThresholdOverride> Overrides, double? CapPercent = null)
{
    public static Thresholds Uniform(double percent) => new(percent, new Dictionary<string, double>(), []);

    public double For(BenchmarkKey key, Metric metric)
    {
        var value = PerMetric.TryGetValue(metric.Name, out var m) ? m : DefaultPercent;
        foreach (var o in Overrides)
        {
            if (o.Matches(key, metric))
            {
                value = o.Percent;
            }
        }

        return CapPercent is { } cap ? Math.Min(value, cap) : value;
    }

    /// <summary>The threshold of a metric that belongs to no benchmark (a run's peak memory): the metric's, else the default.</summary>
    public double ForMetric(Metric metric)
    {
        var value = PerMetric.TryGetValue(metric.Name, out var m) ? m : DefaultPercent;
        // Only an override that names no backend, model or test can speak of a run's memory.
        foreach (var o in Overrides.Where(o => o.Backend is null && o.Model is null && o.Test is null && Wildcard.Matches(o.Metric, metric.Name)))
        {
            value = o.Percent;
        }

        return CapPercent is { } cap ? Math.Min(value, cap) : value;
    }
}

/// <summary>One rule of the config file's <c>overrides</c>; unset fields match anything.</summary>
public sealed record ThresholdOverride(double Percent, string? Backend = null, string? Model = null, string? Test = null, string? Metric = null)
{
    public bool Matches(BenchmarkKey key, Metric metric) =>
        Wildcard.Matches(Backend, key["backends"]) && Wildcard.Matches(Model, key["model_filename"])
        && (Test is null || (BenchmarkTitle.Test(key) is { } test && Wildcard.Matches(Test, test)))
        && Wildcard.Matches(Metric, metric.Name);
}
