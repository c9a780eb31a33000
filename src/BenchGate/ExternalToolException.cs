namespace BenchGate;

/// <summary>A program BenchGate runs (llama-bench, a build command, git) failed or gave nothing usable.</summary>
public sealed class ExternalToolException : BenchGateException
{
    public ExternalToolException(string problem, string? tool = null)
        : base(problem, tool, null, null)
    {
    }

    public ExternalToolException()
        : this("an external tool failed")
    {
    }

    public ExternalToolException(string message, Exception innerException)
        : base(message, null, null, innerException)
    {
    }
}
