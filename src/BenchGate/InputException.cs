namespace BenchGate;

/// <summary>
/// Input that cannot be used: a results file or database that cannot be read, or that does not hold what was asked
/// for (a commit, a baseline, a benchmark to compare).
/// </summary>
public sealed class InputException : BenchGateException
{
    public InputException(string problem, string? location = null, string? input = null)
        : base(problem, input, location, null)
    {
    }

    public InputException()
        : this("input cannot be used")
    {
    }

    public InputException(string message, Exception innerException)
        : base(message, null, null, innerException)
    {
    }

    /// <summary>The same problem, now attributed to a named input.</summary>
    public InputException WithInput(string input) =>
        Input is null ? new InputException(Problem, Location, input) : this;
}
