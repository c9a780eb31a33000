namespace BenchGate.Workflows;

/// <summary>
/// Where a workflow runs: lines for the user while it works (stdout) and notes and warnings (stderr), the values of
/// the CI environment it reads (GITHUB_SHA, GITHUB_STEP_SUMMARY, …), and a live status line for long work. The
/// command line gives the console and the process environment; a test gives buffers and a dictionary.
/// </summary>
public sealed record WorkflowHost(TextWriter Out, TextWriter Error, Func<string, string?> Environment, IStatusDisplay Status)
{
    /// <summary>A host that shows no live status (logs, tests).</summary>
    public WorkflowHost(TextWriter output, TextWriter error, Func<string, string?> environment)
        : this(output, error, environment, NoStatusDisplay.Instance)
    {
    }

    /// <summary>An environment variable, or null when it is unset or empty.</summary>
    public string? Variable(string name) => Environment(name) is { Length: > 0 } v ? v : null;
}

/// <summary>A live status line (a spinner and the latest progress text on a terminal).</summary>
public interface IStatusDisplay
{
    /// <summary>Runs <paramref name="work"/>, showing what it reports; null progress where nothing is shown.</summary>
    T Show<T>(string initial, Func<IProgress<string>?, T> work);
}

/// <summary>No live status: CI logs and pipes get only the summary lines.</summary>
public sealed class NoStatusDisplay : IStatusDisplay
{
    public static readonly NoStatusDisplay Instance = new();

    private NoStatusDisplay()
    {
    }

    public T Show<T>(string initial, Func<IProgress<string>?, T> work) => work(null);
}

/// <summary>How a gate ended, for the command line to turn into its exit code.</summary>
public enum GateOutcome
{
    /// <summary>No regression (and nothing inconclusive that was asked to fail).</summary>
    Pass,

    /// <summary>A regression was found.</summary>
    Regression,

    /// <summary>Something could not be told from noise, and the request asked to fail on it.</summary>
    Inconclusive,
}
