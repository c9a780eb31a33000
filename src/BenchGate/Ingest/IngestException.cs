namespace BenchGate.Ingest;

/// <summary>
/// Input that cannot be ingested. The message names the source, the place in it and the problem,
/// because it is shown to the user as is.
/// </summary>
public sealed class IngestException : Exception
{
    public IngestException(string problem, string? location = null, string? source = null)
        : base(Compose(source, location, problem))
    {
        Problem = problem;
        Location = location;
        Source = source;
    }

    public IngestException()
        : this("input cannot be ingested")
    {
    }

    public IngestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    public string Problem { get; }

    public string? Location { get; }

    public new string? Source { get; }

    /// <summary>The same problem, now attributed to a named input.</summary>
    public IngestException WithSource(string source) =>
        Source is null ? new IngestException(Problem, Location, source) : this;

    private static string Compose(string? source, string? location, string problem) =>
        string.Join(": ", new[] { source, location, problem }.Where(s => !string.IsNullOrEmpty(s)));
}
