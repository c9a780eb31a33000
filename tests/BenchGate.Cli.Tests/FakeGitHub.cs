using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BenchGate.Cli.Tests;

/// <summary>
/// The GitHub REST API's issue-comment endpoints, served on 127.0.0.1 and recording every request (the real API cannot
/// be reached from tests). It keeps comments in memory as GitHub does.
/// </summary>
internal sealed class FakeGitHub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(long Id, string Body)> _comments = [];

    public FakeGitHub()
    {
        // A free port is probed and then listened on: another process can take it in between on a busy machine, so try again.
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            try
            {
                _listener.Prefixes.Add(Url);
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                _listener.Prefixes.Clear();
            }
        }

        _ = Task.Run(Serve);
    }

    public string Url { get; }

    public List<(string Method, string Path, string? Authorization, string Body)> Requests { get; } = [];

    public IReadOnlyList<(long Id, string Body)> Comments => _comments;

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // Seen once in ten loaded runs ("Address already in use" while closing): the test's requests were all answered.
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = ctx.Request.Url!.PathAndQuery;
            lock (Requests)
            {
                Requests.Add((ctx.Request.HttpMethod, path, ctx.Request.Headers["Authorization"], body));
            }

            object response;
            if (ctx.Request.HttpMethod == "GET")
            {
                response = _comments.Select(c => new { id = c.Id, body = c.Body }).ToList();
            }
            else if (ctx.Request.HttpMethod == "POST")
            {
                var text = JsonDocument.Parse(body).RootElement.GetProperty("body").GetString()!;
                _comments.Add((100 + _comments.Count + 1, text));
                ctx.Response.StatusCode = 201;
                response = new { id = _comments[^1].Id, body = text };
            }
            else
            {
                var id = long.Parse(path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
                var text = JsonDocument.Parse(body).RootElement.GetProperty("body").GetString()!;
                var i = _comments.FindIndex(c => c.Id == id);
                _comments[i] = (id, text);
                response = new { id, body = text };
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(response);
            ctx.Response.ContentType = "application/json";
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }
}
