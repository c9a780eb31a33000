using BenchGate.Workflows.Configuration;

namespace BenchGate.Workflows.Ci;

/// <summary>ci's side of benchgate.yaml's matrix: a pull request's plan (or its error, told in the comment) and the llama-bench invocations.</summary>
internal static class CiConfigurations
{
    /// <summary>
    /// A pull request's configurations when benchgate.yaml has a matrix (null otherwise). A description whose benchgate
    /// block is not valid stops the job; the author reads why in the comment.
    /// </summary>
    public static (DetectionConfig? Config, BenchmarkPlan? Plan) ForPullRequest(WorkflowHost host, CiPullRequest req)
    {
        var config = req.Config is null ? null : DetectionConfig.Load(req.Config);
        if (config is not { Matrix.Count: > 0 })
        {
            return (config, null);
        }

        try
        {
            return (config, BenchmarkPlan.ForPullRequest(config, req.Backend, PullRequestComment.Labels(host), PullRequestComment.Event(host, "pull_request", "body"),
                config.Threshold ?? req.Threshold));
        }
        catch (ConfigException e)
        {
            // The message quotes the author's text: in a code block it cannot mention anyone or add markdown under the bot's name.
            var text = $"## Performance\n\n⚠️ Nothing was benchmarked: the `benchgate` block of this pull request's description is not valid.\n\n```text\n{e.Message.Replace("`", "'", StringComparison.Ordinal)}\n```\n";
            File.WriteAllText(req.Output, text);
            PullRequestComment.Post(host, req, text);
            throw;
        }
    }

    /// <summary>The llama-bench invocations of a job: the matrix's, each said on its own line, or the job's arguments alone.</summary>
    public static List<IReadOnlyList<string>> Invocations(WorkflowHost host, DetectionConfig? config, BenchmarkPlan? plan, IReadOnlyList<string> args)
    {
        if (plan is null)
        {
            return [args];
        }

        if (args.FirstOrDefault(a => a is "-m" or "--model") is { } model)
        {
            throw new InputException($"{model} after --: with a matrix in the config, its configurations name the models; give only arguments every configuration shares (-t 4)");
        }

        var invocations = plan.Invocations(config!, args).ToList();
        foreach (var (c, m, a) in invocations)
        {
            host.Out.WriteLine($"configuration {c.Entry.Name} ({c.Reason}), model {m}: llama-bench {string.Join(' ', a)}");
        }

        return [.. invocations.Select(i => i.Args)];
    }
}
