namespace BenchGate.Workflows.Tests;

/// <summary>A workflow host over buffers and a dictionary: what a workflow prints and reads, without a console or the process environment.</summary>
internal sealed class BufferedHost
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public StringWriter Out { get; } = new() { NewLine = "\n" };

    public StringWriter Error { get; } = new() { NewLine = "\n" };

    public WorkflowHost Host => new(Out, Error, name => _environment.GetValueOrDefault(name));

    public BufferedHost With(string name, string value)
    {
        _environment[name] = value;
        return this;
    }
}
