using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace BenchGate.Workflows.Configuration;

/// <summary>
/// Maps benchgate.yaml onto <see cref="DetectionConfig"/> by walking YamlDotNet's node tree. The reflection-based
/// deserializer cannot run in the native (AOT) build, and walking the tree lets an unknown key or a non-number be
/// named with its line.
/// </summary>
public static partial class DetectionConfigReader
{
    /// <summary>Reads the config; a wrong key or value throws an <see cref="InputException"/> naming the path and line.</summary>
    public static DetectionConfig Read(string text, string path)
    {
        try
        {
            return Read(text);
        }
        catch (ConfigError e)
        {
            throw new ConfigException($"invalid config at line {e.Line}: {e.Message}", input: path);
        }
    }

    /// <summary>A config file nests a few levels; YamlDotNet's scanner recurses per level and would overflow the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>Rejects, before YAML is parsed, flow collections ([ {) nested deeper than <see cref="MaxDepth"/> and block indentation that deep.</summary>
    private static void CheckNesting(string text)
    {
        var (depth, line, quote) = (0, 1, '\0');
        var lineStart = true;
        var indent = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                (line, lineStart, indent) = (line + 1, true, 0);
                continue;
            }

            if (lineStart && c == ' ')
            {
                if (++indent > MaxDepth * 8)
                {
                    throw new ConfigError($"indented deeper than any config needs ({MaxDepth} levels)", line);
                }

                continue;
            }

            lineStart = false;
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '#':
                    while (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case '[' or '{':
                    if (++depth > MaxDepth)
                    {
                        throw new ConfigError($"nested deeper than any config needs ({MaxDepth} levels of [ or {{)", line);
                    }

                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }
    }

    private static DetectionConfig Read(string text)
    {
        CheckNesting(text);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new DetectionConfig();
        }

        var root = Mapping(stream.Documents[0].RootNode, "the file");
        double? threshold = null, alpha = null;
        Dictionary<string, DetectionConfig.MetricConfig> metrics = [];
        List<DetectionConfig.OverrideConfig> overrides = [];
        var memory = new MemoryConfig();
        Dictionary<string, string> models = [];
        List<MatrixEntry> matrix = [];
        Dictionary<string, MatrixChange> labels = [];
        foreach (var (key, value) in Entries(root, "threshold", "alpha", "metrics", "overrides", "memory", "models", "matrix", "labels"))
        {
            switch (key)
            {
                case "threshold": threshold = Percent(value); break;
                case "alpha": alpha = Alpha(value); break;
                case "metrics": metrics = ReadMetrics(value); break;
                case "overrides": overrides = ReadOverrides(value); break;
                case "models": models = ReadModels(value); break;
                case "matrix": matrix = ReadMatrix(value); break;
                case "labels": labels = ReadLabels(value); break;
                default: memory = ReadMemory(value); break;
            }
        }

        CheckReferences(models, matrix, labels);
        return new DetectionConfig { Threshold = threshold, Alpha = alpha, Metrics = metrics, Overrides = overrides, Memory = memory, Models = models, Matrix = matrix, Labels = labels };
    }

    private static Dictionary<string, DetectionConfig.MetricConfig> ReadMetrics(YamlNode node)
    {
        Dictionary<string, DetectionConfig.MetricConfig> metrics = [];
        if (IsEmpty(node))
        {
            return metrics;
        }

        foreach (var (name, value) in Mapping(node, "metrics").Children)
        {
            double? threshold = null;
            if (!IsEmpty(value))
            {
                foreach (var (_, v) in Entries(Mapping(value, $"metrics.{Text(name)}"), "threshold"))
                {
                    threshold = Percent(v);
                }
            }

            metrics[Text(name)] = new DetectionConfig.MetricConfig { Threshold = threshold };
        }

        return metrics;
    }

    private static List<DetectionConfig.OverrideConfig> ReadOverrides(YamlNode node)
    {
        if (IsEmpty(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            throw Error(node, "overrides must be a list");
        }

        return [.. list.Children.Select(ReadOverride)];
    }

    private static DetectionConfig.OverrideConfig ReadOverride(YamlNode node)
    {
        double? threshold = null;
        string? backend = null, model = null, test = null, metric = null;
        foreach (var (key, value) in Entries(Mapping(node, "an override"), "threshold", "backend", "model", "test", "metric"))
        {
            switch (key)
            {
                case "threshold": threshold = Percent(value); break;
                case "backend": backend = Text(value); break;
                case "model": model = Text(value); break;
                case "test": test = Text(value); break;
                default: metric = Text(value); break;
            }
        }

        return new DetectionConfig.OverrideConfig
        {
            Threshold = threshold ?? throw Error(node, "an override needs a threshold"),
            Backend = backend,
            Model = model,
            Test = test,
            Metric = metric,
        };
    }

    private static MemoryConfig ReadMemory(YamlNode node)
    {
        double? leak = null, excessive = null;
        if (!IsEmpty(node))
        {
            foreach (var (key, value) in Entries(Mapping(node, "memory"), "leak_threshold_mb", "excessive_threshold_gb"))
            {
                if (key == "leak_threshold_mb")
                {
                    leak = Number(value);
                }
                else
                {
                    excessive = Number(value);
                }
            }
        }

        return new MemoryConfig { LeakThresholdMb = leak, ExcessiveThresholdGb = excessive };
    }

    private static IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode map, params string[] known)
    {
        foreach (var (k, v) in map.Children)
        {
            var key = Text(k);
            if (!known.Contains(key))
            {
                throw Error(k, $"unknown key '{key}' (known here: {string.Join(", ", known)})");
            }

            yield return (key, v);
        }
    }

    private static YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping of keys to values");

    private static bool IsEmpty(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null" };

    private static string Text(YamlNode node) =>
        node is YamlScalarNode { Value: { } v } ? v : throw Error(node, "expected a single value");

    private static double? Number(YamlNode node)
    {
        if (IsEmpty(node))
        {
            return null;
        }

        var text = Text(node);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw Error(node, $"'{text}' is not a number");
    }

    /// <summary>A threshold: a percentage above 0 (latency can grow past 100%; a speed cannot drop past it, and is capped there).</summary>
    private static double? Percent(YamlNode node) => Number(node) is { } v && !(v > 0 && v <= 10_000)
        ? throw Error(node, $"a threshold is a percentage above 0 (at most 10000), got {v.ToString(CultureInfo.InvariantCulture)}")
        : Number(node);

    /// <summary>The one-sided level of each test: above 0 and below 0.5 (intervals are 1 − 2α).</summary>
    private static double? Alpha(YamlNode node) => Number(node) is { } v && !(v > 0 && v < 0.5)
        ? throw Error(node, $"alpha is the one-sided level of each test, above 0 and below 0.5, got {v.ToString(CultureInfo.InvariantCulture)}")
        : Number(node);

    private static ConfigError Error(YamlNode node, string message) => new(message, node.Start.Line);

    internal sealed class ConfigError(string message, long line) : Exception(message)
    {
        public long Line { get; } = line;
    }
}
