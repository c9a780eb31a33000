namespace BenchGate;

/// <summary>A configuration (benchgate.yaml, a threshold, a setting) that is not valid; the message names its line.</summary>
public sealed class ConfigException : BenchGateException
{
    public ConfigException(string problem, string? location = null, string? input = null)
        : base(problem, input, location, null)
    {
    }

    public ConfigException()
        : this("the configuration is not valid")
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, null, null, innerException)
    {
    }
}
