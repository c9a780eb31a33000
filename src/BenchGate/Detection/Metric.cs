using BenchGate.Model;

namespace BenchGate.Detection;

/// <summary>A measured quantity compared between baseline and current (the spec's PERFORMANCE_METRICS).</summary>
/// <param name="Name">Column name (avg_ts, avg_ns, model_size).</param>
/// <param name="Label">As the report names it.</param>
/// <param name="HigherIsBetter">avg_ts: more tokens per second is better; avg_ns and model_size: less is better.</param>
public sealed record Metric(string Name, string Label, bool HigherIsBetter)
{
    public static readonly Metric TokensPerSecond = new("avg_ts", "Average Tokens/Second", HigherIsBetter: true);
    public static readonly Metric Latency = new("avg_ns", "Average Latency", HigherIsBetter: false);
    public static readonly Metric ModelSize = new("model_size", "Model Size", HigherIsBetter: false);

    public static IReadOnlyList<Metric> Defaults { get; } = [TokensPerSecond, Latency, ModelSize];

    /// <summary>A run's value for this metric: robust (median of the repetitions) when samples exist.</summary>
    public RunValue? ValueOf(BenchmarkRecord record, string runId, bool useSamples)
    {
        switch (Name)
        {
            case "avg_ts":
                return FromSamplesOrMean(runId, record.SamplesTs, useSamples, record.AvgTs, record.StddevTs);
            case "avg_ns":
                return record.AvgNs is { } avg
                    ? FromSamplesOrMean(runId, useSamples ? record.SamplesNs : null, useSamples, avg, record.Get(FieldOrdinals.StddevNs) is { IsNull: false } sd ? sd.Integer : null)
                    : null;
            case "model_size":
                var size = record.Get(FieldOrdinals.ModelSize);
                return size.IsNull || size.Integer <= 0 ? null : new RunValue(runId, size.Integer, 0, 1);
            default:
                var v = record.Get(Name);
                return v.IsNull ? null : new RunValue(runId, v.Kind == ValueKind.Real ? v.Real : v.Integer, null, null);
        }
    }

    private static RunValue FromSamplesOrMean<T>(string runId, T[]? samples, bool useSamples, double mean, double? sd)
        where T : struct, System.Numerics.INumberBase<T>
    {
        if (useSamples && samples is { Length: > 0 })
        {
            Span<double> values = samples.Length <= 128 ? stackalloc double[samples.Length] : new double[samples.Length];
            Span<double> logs = samples.Length <= 128 ? stackalloc double[samples.Length] : new double[samples.Length];
            for (var i = 0; i < samples.Length; i++)
            {
                values[i] = double.CreateTruncating(samples[i]);
                logs[i] = Math.Log(values[i]);
            }

            // Shamos on the log scale: one cold repetition moves neither the centre nor the spread.
            return new RunValue(runId, Statistics.Robust.Median(values), Statistics.Robust.Shamos(logs), samples.Length);
        }

        // Without samples only the mean and stddev are known; the CV is the spread on the log scale.
        return new RunValue(runId, mean, sd is { } s && mean > 0 ? s / mean : null, null);
    }
}

/// <summary>One run's value of a metric for one benchmark.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Value">Its estimate (median of repetitions, or llama-bench's mean).</param>
/// <param name="WithinLogSd">Spread of its repetitions on the log scale (≈ CV), when known.</param>
/// <param name="Repetitions">Number of repetitions, when known.</param>
public sealed record RunValue(string RunId, double Value, double? WithinLogSd, int? Repetitions);
