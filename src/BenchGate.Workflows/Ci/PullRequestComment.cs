using System.Text.Json;
using BenchGate.GitHub;

namespace BenchGate.Workflows.Ci;

/// <summary>'ci pr's comment: which pull request (from flags or the Actions event), which token, and what to do without one.</summary>
public static class PullRequestComment
{
    public static void Post(WorkflowHost host, CiPullRequest req, string report)
    {
        if (req.NoComment)
        {
            return;
        }

        var repo = req.Repo ?? host.Environment("GITHUB_REPOSITORY");
        var number = req.Pr ?? (int.TryParse(Event(host, "pull_request", "number"), out var n) ? n : PrFromRef(host.Environment("GITHUB_REF")));
        var token = host.Environment("GITHUB_TOKEN");
        if (repo is not { Length: > 0 } || number is null)
        {
            host.Out.WriteLine("no pull request to comment on (not a pull_request event; give --repo and --pr): the report is in " + req.Output);
            return;
        }

        if (token is not { Length: > 0 })
        {
            host.Out.WriteLine($"no GITHUB_TOKEN (a pull request from a fork gets none): comment skipped; the report is in {req.Output} and the job summary");
            return;
        }

        var api = new Uri((host.Environment("GITHUB_API_URL") is { Length: > 0 } u ? u : "https://api.github.com").TrimEnd('/') + "/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var body = $"{PullRequestComments.MarkerFor(req.Backend)}\n{report}\n<sub>BenchGate · {host.Environment("GITHUB_SHA") ?? "local"} · {host.Environment("RUNNER_NAME") ?? Environment.MachineName}</sub>\n";
            var (action, id) = new PullRequestComments(http, api, token).UpsertAsync(repo, number.Value, body, backend: req.Backend).GetAwaiter().GetResult();
            host.Out.WriteLine($"{(action == CommentAction.Created ? "commented on" : "updated the comment on")} {repo}#{number} (comment {id})");
        }
        catch (Exception e) when (e is GitHubException or HttpRequestException or TaskCanceledException)
        {
            // The gate's verdict stands without the comment: a fork's read-only token or an API outage must not hide it.
            host.Error.WriteLine($"warning: could not comment on {repo}#{number}: {e.Message}; the report is in {req.Output}");
        }
    }

    private static int? PrFromRef(string? gitRef) =>
        gitRef is { } r && r.StartsWith("refs/pull/", StringComparison.Ordinal) && int.TryParse(r.Split('/')[2], out var n) ? n : null;

    /// <summary>The pull request's label names, from the webhook event (none outside a pull_request event).</summary>
    public static IReadOnlyList<string> Labels(WorkflowHost host) =>
        EventAt(host, "pull_request", "labels") is { ValueKind: JsonValueKind.Array } labels
            ? [.. labels.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                .Select(l => l.GetProperty("name").GetString()!)]
            : [];

    /// <summary>A value from the webhook event GitHub Actions saves at $GITHUB_EVENT_PATH.</summary>
    public static string? Event(WorkflowHost host, params string[] path) => EventAt(host, path) switch
    {
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        { } e => e.GetString(),
        null => null,
    };

    /// <summary>The element at <paramref name="path"/> in the webhook event, or null (no event file, not JSON, no such path).</summary>
    private static JsonElement? EventAt(WorkflowHost host, params string[] path)
    {
        if (host.Environment("GITHUB_EVENT_PATH") is not { Length: > 0 } file || !File.Exists(file))
        {
            return null;
        }

        try
        {
            var e = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            foreach (var p in path)
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e))
                {
                    return null;
                }
            }

            return e;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
