using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace BenchGate.Workflows.Configuration;

/// <summary>benchgate.yaml's models, matrix and labels, and a pull request's benchgate block, with their lines.</summary>
public static partial class DetectionConfigReader
{
    /// <summary>Arguments the matrix may not give: benchgate gives the model and asks for jsonl itself.</summary>
    private static readonly string[] Managed = ["-m", "--model", "-o", "--output", "-oe", "--output-err"];

    /// <summary>
    /// A pull request's <c>benchgate</c> block (only, add, skip, threshold). Lines are counted from the description's
    /// first line: <paramref name="firstLine"/> is the block's first line in it.
    /// </summary>
    /// <exception cref="ConfigException">A key, value or YAML error, naming its line in the description.</exception>
    public static MatrixChange ReadPullRequestBlock(string yaml, long firstLine)
    {
        try
        {
            CheckNesting(yaml);
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                return new MatrixChange(null, [], [], null, firstLine);
            }

            var change = ReadChange(stream.Documents[0].RootNode, "the benchgate block");
            return change with { Line = firstLine, ThresholdLine = firstLine + change.ThresholdLine - 1 };
        }
        catch (ConfigError e)
        {
            throw new ConfigException($"line {firstLine + e.Line - 1} of the pull request's description (its benchgate block): {e.Message}");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigException($"line {firstLine + e.Start.Line - 1} of the pull request's description (its benchgate block): not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }
    }

    private static Dictionary<string, string> ReadModels(YamlNode node) =>
        IsEmpty(node) ? [] : Mapping(node, "models").Children.ToDictionary(kv => Name(kv.Key, "a model"), kv => Text(kv.Value), StringComparer.Ordinal);

    private static List<MatrixEntry> ReadMatrix(YamlNode node)
    {
        if (IsEmpty(node))
        {
            return [];
        }

        var entries = (node as YamlSequenceNode ?? throw Error(node, "matrix must be a list of configurations")).Children.Select(ReadEntry).ToList();
        var twice = entries.GroupBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? entries : throw new ConfigError($"two configurations are named '{twice.Key}'", twice.Last().Line);
    }

    private static MatrixEntry ReadEntry(YamlNode node)
    {
        string? name = null;
        IReadOnlyList<string> models = [], args = [], backends = [];
        double? threshold = null;
        var isDefault = true;
        foreach (var (key, value) in Entries(Mapping(node, "a configuration"), "name", "models", "args", "backends", "threshold", "default"))
        {
            switch (key)
            {
                case "name": name = Name(value, "a configuration"); break;
                case "models": models = List(value); break;
                case "args": args = value is YamlSequenceNode ? List(value) : Arguments(value); break;
                case "backends": backends = List(value); break;
                case "threshold": threshold = Percent(value); break;
                default: isDefault = Bool(value); break;
            }
        }

        if (args.FirstOrDefault(a => Managed.Contains(a)) is { } managed)
        {
            throw Error(node, $"args may not give {managed}: the configuration's models give -m, and benchgate asks llama-bench for jsonl");
        }

        return name is null ? throw Error(node, "a configuration needs a name")
            : models.Count == 0 ? throw Error(node, $"configuration '{name}' needs models (names from models:)")
            : new MatrixEntry(name, models, args, backends, threshold, isDefault, node.Start.Line);
    }

    private static Dictionary<string, MatrixChange> ReadLabels(YamlNode node) =>
        IsEmpty(node) ? [] : Mapping(node, "labels").Children.ToDictionary(kv => Text(kv.Key), kv => ReadChange(kv.Value, $"label '{Text(kv.Key)}'"), StringComparer.Ordinal);

    private static MatrixChange ReadChange(YamlNode node, string what)
    {
        IReadOnlyList<string>? only = null;
        IReadOnlyList<string> add = [], skip = [];
        double? threshold = null;
        long thresholdLine = node.Start.Line;
        foreach (var (key, value) in Entries(Mapping(node, what), "only", "add", "skip", "threshold"))
        {
            switch (key)
            {
                case "only": only = List(value); break;
                case "add": add = List(value); break;
                case "skip": skip = List(value); break;
                default: (threshold, thresholdLine) = (Percent(value), value.Start.Line); break;
            }
        }

        return new MatrixChange(only, add, skip, threshold, node.Start.Line, thresholdLine);
    }

    /// <summary>Every name a configuration or label uses must be defined, so that a typo is an error, not a silent no-op.</summary>
    private static void CheckReferences(Dictionary<string, string> models, List<MatrixEntry> matrix, Dictionary<string, MatrixChange> labels)
    {
        foreach (var entry in matrix)
        {
            if (entry.Models.FirstOrDefault(m => !models.ContainsKey(m)) is { } missing)
            {
                throw new ConfigError($"configuration '{entry.Name}' names model '{missing}', which models: does not define (known: {Known(models.Keys)})", entry.Line);
            }
        }

        foreach (var (label, change) in labels)
        {
            CheckNames(change, matrix, $"label '{label}'");
        }
    }

    /// <summary>The configurations a change names must exist in the matrix.</summary>
    internal static void CheckNames(MatrixChange change, IReadOnlyList<MatrixEntry> matrix, string what)
    {
        foreach (var name in (change.Only ?? []).Concat(change.Add).Concat(change.Skip))
        {
            if (matrix.All(e => e.Name != name))
            {
                throw new ConfigError($"{what} names configuration '{name}', which matrix: does not define (known: {Known(matrix.Select(e => e.Name))})", change.Line);
            }
        }
    }

    private static string Known(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";

    private static IReadOnlyList<string> List(YamlNode node) => node switch
    {
        YamlSequenceNode list => [.. list.Children.Select(Text)],
        _ when IsEmpty(node) => [],
        _ => [Text(node)],
    };

    private static string Name(YamlNode node, string what)
    {
        var name = Text(node);
        return NamePattern().IsMatch(name) ? name : throw Error(node, $"'{name}' cannot name {what}: use letters, digits, '.', '_' and '-'");
    }

    private static bool Bool(YamlNode node) => Text(node) switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var t => throw Error(node, $"'{t}' is not true or false"),
    };

    /// <summary>llama-bench's arguments from one string, split on spaces as a shell would (quotes keep spaces).</summary>
    private static List<string> Arguments(YamlNode node)
    {
        var (args, current, quote, any) = (new List<string>(), new System.Text.StringBuilder(), '\0', false);
        foreach (var c in Text(node))
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                (quote, any) = (c, true);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0 || any)
                {
                    args.Add(current.ToString());
                    (current, any) = (new System.Text.StringBuilder(), false);
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (quote != '\0')
        {
            throw Error(node, $"an unclosed {quote} in args");
        }

        if (current.Length > 0 || any)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
