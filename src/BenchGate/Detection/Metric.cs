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

    /// <summary>
    /// A run's value for this metric: llama-bench's own mean (avg_ts, avg_ns), in every format alike, so that a run's value
    /// does not depend on whether its file carried samples. Samples, where present, give the run's spread robustly
    /// (Shamos on the log scale: one cold repetition does not inflate it); without them, llama-bench's stddev / mean.
    /// </summary>
    public RunValue? ValueOf(BenchmarkRecord record, string runId, bool useSamples)
    {
        switch (Name)
        {
            case "avg_ts":
                return WithSpread(runId, useSamples ? record.SamplesTs : null, record.AvgTs, record.StddevTs);
            case "avg_ns":
                return record.AvgNs is { } avg
                    ? WithSpread(runId, useSamples ? record.SamplesNs : null, avg, record.Get(FieldOrdinals.StddevNs) is { IsNull: false } sd ? sd.Integer : null)
                    : null;
            case "model_size":
                var size = record.Get(FieldOrdinals.ModelSize);
                return size.IsNull || size.Integer <= 0 ? null : new RunValue(runId, size.Integer, 0, 1);
            default:
                var v = record.Get(Name);
                return v.IsNull ? null : new RunValue(runId, v.Kind == ValueKind.Real ? v.Real : v.Integer, null, null);
        }
    }

    private static RunValue WithSpread<T>(string runId, T[]? samples, double mean, double? sd)
        where T : struct, System.Numerics.INumberBase<T>
    {
        if (samples is { Length: > 1 })
        {
            Span<double> logs = samples.Length <= 128 ? stackalloc double[samples.Length] : new double[samples.Length];
            for (var i = 0; i < samples.Length; i++)
            {
                logs[i] = Math.Log(double.CreateTruncating(samples[i]));
            }

            return new RunValue(runId, mean, Statistics.Robust.Shamos(logs), samples.Length);
        }

        // Without samples only the mean and stddev are known; the CV is the spread on the log scale.
        return new RunValue(runId, mean, sd is { } s && mean > 0 ? s / mean : null, samples?.Length);
    }
}

/// <summary>One run's value of a metric for one benchmark.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Value">llama-bench's mean of the repetitions (avg_ts, avg_ns).</param>
/// <param name="WithinLogSd">Spread of its repetitions on the log scale (≈ CV), when known.</param>
/// <param name="Repetitions">Number of repetitions, when known.</param>
public readonly record struct RunValue(string RunId, double Value, double? WithinLogSd, int? Repetitions);
