using System.Globalization;
using System.Text;
using BenchGate.Detection;
using BenchGate.Workflows.Configuration;

namespace BenchGate.Workflows.Ci;

/// <summary>A configuration of the matrix that runs, and why (default, a label, the description).</summary>
public sealed record PlannedConfiguration(MatrixEntry Entry, string Reason);

/// <summary>
/// Which of benchgate.yaml's configurations a ci job runs: on a push every configuration of its backend (master is
/// the reference each pull request is compared with); on a pull request the default ones, changed by its labels and
/// then by the benchgate block of its description, which may also make the threshold stricter, never looser.
/// </summary>
public sealed record BenchmarkPlan(IReadOnlyList<PlannedConfiguration> Run, IReadOnlyList<PlannedConfiguration> Skipped, double? Threshold, string? ThresholdReason)
{
    public static BenchmarkPlan ForPush(DetectionConfig config, string? backend) =>
        new([.. Candidates(config, backend).Select(e => new PlannedConfiguration(e, "every configuration runs on the baseline branch"))], [], null, null);

    /// <param name="config">benchgate.yaml, with its matrix.</param>
    /// <param name="backend">The ci job's backend (--backend): configurations for other backends are another job's.</param>
    /// <param name="labels">The pull request's labels, in GitHub's order.</param>
    /// <param name="description">The pull request's description (null or empty: none).</param>
    /// <param name="threshold">The threshold the pull request would otherwise get, which its description may only lower.</param>
    /// <exception cref="ConfigException">The description's benchgate block is not valid (its line says where).</exception>
    public static BenchmarkPlan ForPullRequest(DetectionConfig config, string? backend, IReadOnlyList<string> labels, string? description, double threshold)
    {
        var candidates = Candidates(config, backend);
        var run = candidates.Where(e => e.Default).ToDictionary(e => e.Name, _ => "default", StringComparer.Ordinal);
        var skipped = candidates.Where(e => !e.Default).ToDictionary(e => e.Name, _ => "not a default: ask for it with a label or the description", StringComparer.Ordinal);
        // Thresholds only get stricter: a label or a description lowers the one the pull request would otherwise get.
        (double Value, string? Reason) strictest = (threshold, null);
        foreach (var label in labels.Where(config.Labels.ContainsKey))
        {
            var change = config.Labels[label];
            Apply(change, $"label `{label}`", candidates, run, skipped);
            if (change.Threshold is { } t && t < strictest.Value)
            {
                strictest = (t, $"label `{label}`");
            }
        }

        if (PullRequestBlock.Find(description) is { } block)
        {
            var change = DetectionConfigReader.ReadPullRequestBlock(block.Yaml, block.FirstLine);
            if (change.Only is not null || change.Skip.Count > 0)
            {
                // The author must not be able to leave out the configuration that shows a regression: running fewer is
                // for labels, which maintainers apply.
                throw new ConfigException($"line {change.Line} of the pull request's description: a description may add configurations (add:) and make the threshold stricter (threshold:); running fewer (skip:, only:) takes a label{(config.Labels.Count == 0 ? " (benchgate.yaml maps none)" : $" ({string.Join(", ", config.Labels.Keys.Select(l => $"'{l}'"))})")}");
            }

            try
            {
                DetectionConfigReader.CheckNames(change, config.Matrix, "the benchgate block");
            }
            catch (DetectionConfigReader.ConfigError e)
            {
                throw new ConfigException($"line {e.Line} of the pull request's description: {e.Message}");
            }

            if (change.Threshold is { } t && t > strictest.Value)
            {
                throw new ConfigException($"line {change.ThresholdLine} of the pull request's description: a pull request may only make the threshold stricter than {strictest.Value.ToString(CultureInfo.InvariantCulture)}%, not {t.ToString(CultureInfo.InvariantCulture)}%");
            }

            var reason = $"the pull request's description (line {block.FirstLine - 1})";
            Apply(change, reason, candidates, run, skipped);
            if (change.Threshold is { } strict && strict < strictest.Value)
            {
                strictest = (strict, reason);
            }
        }

        return new BenchmarkPlan(
            [.. candidates.Where(e => run.ContainsKey(e.Name)).Select(e => new PlannedConfiguration(e, run[e.Name]))],
            [.. candidates.Where(e => skipped.ContainsKey(e.Name)).Select(e => new PlannedConfiguration(e, skipped[e.Name]))],
            strictest.Reason is null ? null : strictest.Value, strictest.Reason);
    }

    /// <summary>Each llama-bench invocation: a configuration's arguments for one of its models, then the job's own arguments.</summary>
    public IEnumerable<(PlannedConfiguration Configuration, string Model, IReadOnlyList<string> Args)> Invocations(DetectionConfig config, IReadOnlyList<string> jobArgs) =>
        Run.SelectMany(c => c.Entry.Models.Select(m => (c, m, (IReadOnlyList<string>)["-m", config.Models[m], .. c.Entry.Args, .. jobArgs])));

    /// <summary>
    /// The configurations' own thresholds, for their models' benchmarks of their tests (the model alone where the
    /// tests cannot be told from the arguments).
    /// </summary>
    /// <param name="config">benchgate.yaml.</param>
    /// <param name="jobArgs">The job's arguments after --, appended to every configuration's (they may add tests).</param>
    public IReadOnlyList<ThresholdOverride> Overrides(DetectionConfig config, IReadOnlyList<string> jobArgs) =>
        [.. Run.Where(c => c.Entry.Threshold is not null).SelectMany(c => c.Entry.Models.SelectMany(m =>
            Tests(c.Entry, jobArgs).Select(test => new ThresholdOverride(c.Entry.Threshold!.Value, Model: "*" + Path.GetFileName(config.Models[m]), Test: test))))];

    private static IReadOnlyList<string?> Tests(MatrixEntry entry, IReadOnlyList<string> jobArgs) =>
        LlamaBenchTests.Of([.. entry.Args, .. jobArgs]) is { } tests ? [.. tests] : [null];

    /// <summary>The comment's section: what ran and why, what did not, and how to ask for more.</summary>
    public string Markdown(DetectionConfig config, string? backend)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"### Configurations{(backend is null ? "" : $" ({backend})")}\n\n");
        if (Run.Count == 0)
        {
            sb.Append("None ran.\n\n");
        }
        else
        {
            sb.Append("| Configuration | Models | llama-bench arguments | Why |\n| --- | --- | --- | --- |\n");
            foreach (var c in Run)
            {
                sb.Append(CultureInfo.InvariantCulture, $"| {c.Entry.Name} | {string.Join(", ", c.Entry.Models)} | `{string.Join(' ', c.Entry.Args)}` | {c.Reason}{(c.Entry.Threshold is { } t ? $"; threshold {t.ToString(CultureInfo.InvariantCulture)}%" : "")} |\n");
            }

            sb.Append('\n');
        }

        foreach (var s in Skipped)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- Not run: **{s.Entry.Name}** ({s.Reason})\n");
        }

        if (Threshold is { } threshold)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- Threshold {threshold.ToString(CultureInfo.InvariantCulture)}%, from {ThresholdReason}\n");
        }

        var labels = config.Labels.Count == 0 ? "" : $"; labels: {string.Join(", ", config.Labels.Keys.Select(l => $"`{l}`"))}";
        return sb.Append(CultureInfo.InvariantCulture, $"\nTo run more: a `benchgate` block in the description (`add: [name]`, a stricter `threshold: 3`){labels}.\n").ToString();
    }

    private static List<MatrixEntry> Candidates(DetectionConfig config, string? backend) =>
        [.. config.Matrix.Where(e => backend is null || e.Backends.Count == 0 || e.Backends.Any(b => string.Equals(b, backend, StringComparison.OrdinalIgnoreCase)))];

    private static void Apply(MatrixChange change, string reason, List<MatrixEntry> candidates, Dictionary<string, string> run, Dictionary<string, string> skipped)
    {
        // Names of another backend's configurations are that job's business: here they change nothing.
        bool Here(string name) => candidates.Any(e => e.Name == name);
        if (change.Only is { } only)
        {
            foreach (var e in candidates)
            {
                Move(e.Name, only.Contains(e.Name), only.Contains(e.Name) ? reason : $"not among the configurations {reason} runs");
            }
        }

        foreach (var name in change.Add.Where(Here))
        {
            Move(name, true, reason);
        }

        foreach (var name in change.Skip.Where(Here))
        {
            Move(name, false, $"skipped by {reason}");
        }

        void Move(string name, bool runs, string why)
        {
            run.Remove(name);
            skipped.Remove(name);
            (runs ? run : skipped)[name] = why;
        }
    }
}
