using BenchGate.Detection;

namespace BenchGate.Workflows.Configuration;

/// <summary>
/// benchgate.yaml: the spec's per-metric thresholds, plus overrides per backend, model and test.
/// <code>
/// threshold: 5.0
/// alpha: 0.01
/// metrics:
///   avg_ts: { threshold: 5.0 }
///   model_size: { threshold: 1.0 }
/// overrides:
///   - { backend: "CUDA*", threshold: 3.0 }
///   - { model: "tinyllama*", test: "tg*", metric: avg_ts, threshold: 8.0 }
/// memory: { leak_threshold_mb: 1.0, excessive_threshold_gb: 16.0 }
/// </code>
/// </summary>
public sealed class DetectionConfig
{
    public double? Threshold { get; init; }

    public double? Alpha { get; init; }

    public Dictionary<string, MetricConfig> Metrics { get; init; } = [];

    public List<OverrideConfig> Overrides { get; init; } = [];

    /// <summary>memcheck's thresholds (the spec's 1 MB and 16 GB by default).</summary>
    public MemoryConfig Memory { get; init; } = new();

    public static DetectionConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException("no such config file", input: path);
        }

        try
        {
            var config = DetectionConfigReader.Read(File.ReadAllText(path), path);
            var unknown = config.Metrics.Keys.Where(k => Metric.Defaults.All(m => m.Name != k)).ToList();
            if (unknown.Count > 0)
            {
                throw new ConfigException($"unknown metric(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Metric.Defaults.Select(m => m.Name))}", input: path);
            }

            return config;
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigException($"invalid YAML at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", input: path);
        }
    }

    public Thresholds ToThresholds(double defaultPercent) => new(
        defaultPercent,
        Metrics.Where(m => m.Value.Threshold is not null).ToDictionary(m => m.Key, m => m.Value.Threshold!.Value),
        [.. Overrides.Select(o => new ThresholdOverride(o.Threshold, o.Backend, o.Model, o.Test, o.Metric))]);

    public sealed class MetricConfig
    {
        public double? Threshold { get; init; }
    }

    public sealed class OverrideConfig
    {
        public double Threshold { get; init; }

        public string? Backend { get; init; }

        public string? Model { get; init; }

        public string? Test { get; init; }

        public string? Metric { get; init; }
    }
}

/// <summary>The memory section of benchgate.yaml.</summary>
public sealed class MemoryConfig
{
    public double? LeakThresholdMb { get; init; }

    public double? ExcessiveThresholdGb { get; init; }
}
