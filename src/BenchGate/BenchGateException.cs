namespace BenchGate;

/// <summary>
/// A failure the user caused and can fix: input that cannot be read, a configuration that is wrong, an external tool
/// that failed, a store that cannot be used. The message is shown as is: it names the input, the place in it and the
/// problem. Each kind is its own type so that the command line maps each to its exit code in one place; anything
/// else that escapes a command is a bug.
/// </summary>
public abstract class BenchGateException : Exception
{
    protected BenchGateException(string problem, string? input, string? location, Exception? innerException)
        : base(Compose(input, location, problem), innerException)
    {
        Problem = problem;
        Input = input;
        Location = location;
    }

    /// <summary>What is wrong, without where.</summary>
    public string Problem { get; }

    /// <summary>The file, database, configuration or tool the problem is in, as the user named it (null: not known yet).</summary>
    public string? Input { get; }

    /// <summary>Where in <see cref="Input"/>: a line, a row, a field.</summary>
    public string? Location { get; }

    private static string Compose(string? input, string? location, string problem) =>
        string.Join(": ", new[] { input, location, problem }.Where(s => !string.IsNullOrEmpty(s)));
}
