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
/// models: { tinyllama: models/tinyllama-1.1b-q4_0.gguf }
/// matrix:
///   - { name: prompt, models: [tinyllama], args: "-p 512 -n 0 -r 5" }
///   - { name: long-context, models: [tinyllama], args: "-p 512 -n 128 -d 4096", default: false, threshold: 8 }
/// labels:
///   "perf: long-context": { add: [long-context] }
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

    /// <summary>The models the matrix may run, by name: the path llama-bench's -m gets.</summary>
    public Dictionary<string, string> Models { get; init; } = [];

    /// <summary>The benchmark configurations ci runs (none: ci runs the arguments it is given).</summary>
    public List<MatrixEntry> Matrix { get; init; } = [];

    /// <summary>What a pull request's label changes in the matrix, by label.</summary>
    public Dictionary<string, MatrixChange> Labels { get; init; } = [];

    public static DetectionConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException("no such config file", input: path);
        }

        try
        {
            var config = DetectionConfigReader.Read(File.ReadAllText(path), path);
            // A run's peak memory is compared like a metric and takes a threshold like one.
            var known = Metric.Defaults.Append(BenchGate.Memory.PeakMemoryComparison.PeakRss).Append(BenchGate.Memory.PeakMemoryComparison.PeakGpu).Select(m => m.Name).ToList();
            var unknown = config.Metrics.Keys.Where(k => !known.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                throw new ConfigException($"unknown metric(s) {string.Join(", ", unknown)}; known: {string.Join(", ", known)}", input: path);
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

/// <summary>One configuration of the matrix: llama-bench's arguments for some models, where and when it runs.</summary>
/// <param name="Name">How pull requests and the comment name it.</param>
/// <param name="Models">Names from the config's models.</param>
/// <param name="Args">llama-bench's arguments besides -m.</param>
/// <param name="Backends">The ci jobs (--backend) it runs in; empty: every one.</param>
/// <param name="Threshold">The threshold of its models' benchmarks, or null for the config's.</param>
/// <param name="Default">Whether pull requests run it without asking (master runs every configuration).</param>
/// <param name="Line">Where it is defined, for messages.</param>
public sealed record MatrixEntry(string Name, IReadOnlyList<string> Models, IReadOnlyList<string> Args, IReadOnlyList<string> Backends, double? Threshold,
    bool Default, long Line);

/// <summary>
/// A change to the configurations a pull request runs, from a label or the description's benchgate block: run only
/// these, add these, skip these, and a stricter threshold.
/// </summary>
public sealed record MatrixChange(IReadOnlyList<string>? Only, IReadOnlyList<string> Add, IReadOnlyList<string> Skip, double? Threshold, long Line, long ThresholdLine = 0);

/// <summary>The memory section of benchgate.yaml.</summary>
public sealed class MemoryConfig
{
    public double? LeakThresholdMb { get; init; }

    public double? ExcessiveThresholdGb { get; init; }
}
