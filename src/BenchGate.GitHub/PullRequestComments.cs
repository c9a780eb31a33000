using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BenchGate.GitHub;

/// <summary>The GitHub API refused or failed a request; the message names the request and the status.</summary>
public sealed class GitHubException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>What happened to the pull-request comment.</summary>
public enum CommentAction
{
    Created,
    Updated,
}

/// <summary>
/// Keeps ONE BenchGate comment on a pull request: the first push creates it, later pushes update it, found by a hidden
/// marker in its body — never a new comment per push. Talks to the REST API (base URL overridable, as for GitHub
/// Enterprise and for tests, which serve it from 127.0.0.1).
/// </summary>
public sealed class PullRequestComments(HttpClient http, Uri apiBase, string token)
{
    public const string Marker = "<!-- benchgate:performance-report -->";

    /// <summary>The marker of one backend's comment: each ci job (cpu, cuda, metal) keeps its own comment up to date.</summary>
    public static string MarkerFor(string? backend) => backend is { Length: > 0 } b ? $"<!-- benchgate:performance-report:{b.ToLowerInvariant()} -->" : Marker;

    public async Task<(CommentAction Action, long Id)> UpsertAsync(string repository, int number, string body, string? backend = null, CancellationToken cancel = default)
    {
        var marker = MarkerFor(backend);
        var text = body.Contains(marker, StringComparison.Ordinal) ? body : marker + "\n" + body;
        // A comment written before comments were kept per backend carries the plain marker: the first backend takes it over.
        var existing = await FindAsync(repository, number, marker, cancel).ConfigureAwait(false)
            ?? (marker == Marker ? null : await FindAsync(repository, number, Marker, cancel).ConfigureAwait(false));
        if (existing is { } id)
        {
            await SendAsync(HttpMethod.Patch, $"repos/{repository}/issues/comments/{id}", text, cancel).ConfigureAwait(false);
            return (CommentAction.Updated, id);
        }

        var created = await SendAsync(HttpMethod.Post, $"repos/{repository}/issues/{number}/comments", text, cancel).ConfigureAwait(false);
        return (CommentAction.Created, created.Id);
    }

    private async Task<long?> FindAsync(string repository, int number, string marker, CancellationToken cancel)
    {
        for (var page = 1; page <= 50; page++)
        {
            using var request = Request(HttpMethod.Get, $"repos/{repository}/issues/{number}/comments?per_page=100&page={page}");
            using var response = await http.SendAsync(request, cancel).ConfigureAwait(false);
            await EnsureAsync(response, $"GET comments of {repository}#{number}", cancel).ConfigureAwait(false);
            var comments = await response.Content.ReadFromJsonAsync(GitHubJson.Default.ListComment, cancel).ConfigureAwait(false) ?? [];
            if (comments.FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true) is { } mine)
            {
                return mine.Id;
            }

            if (comments.Count < 100)
            {
                return null;
            }
        }

        return null;
    }

    private async Task<Comment> SendAsync(HttpMethod method, string path, string body, CancellationToken cancel)
    {
        using var request = Request(method, path);
        request.Content = JsonContent.Create(new Dictionary<string, string> { ["body"] = body }, GitHubJson.Default.DictionaryStringString);
        using var response = await http.SendAsync(request, cancel).ConfigureAwait(false);
        await EnsureAsync(response, $"{method} {path}", cancel).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(GitHubJson.Default.Comment, cancel).ConfigureAwait(false) ?? throw new GitHubException($"{method} {path}: empty response");
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(apiBase, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("benchgate", "1.0"));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        return request;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancel)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
            string? message = null;
            try
            {
                message = JsonDocument.Parse(detail).RootElement.GetProperty("message").GetString();
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // Not GitHub's error shape: report the status alone.
            }

            throw new GitHubException($"{what}: {(int)response.StatusCode} {response.ReasonPhrase}{(message is null ? "" : $" ({message})")}", response.StatusCode);
        }
    }

    internal sealed record Comment([property: JsonPropertyName("id")] long Id, [property: JsonPropertyName("body")] string? Body);
}

/// <summary>Source-generated, so the native build reads and writes GitHub's JSON without reflection.</summary>
[JsonSerializable(typeof(List<PullRequestComments.Comment>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class GitHubJson : JsonSerializerContext;
