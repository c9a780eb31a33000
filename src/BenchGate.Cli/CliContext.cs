using BenchGate.Workflows;
using Spectre.Console;

namespace BenchGate.Cli;

/// <summary>Where a command reads and writes: the real console, or a test's buffers.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, Func<Stream> OpenStdin, Func<string, string?> Environment, bool Interactive)
{
    public static CliContext FromConsole() => new(
        StandardOutput(),
        Console.Error,
        Console.OpenStandardInput,
        System.Environment.GetEnvironmentVariable,
        !Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("CI") is null);

    private IAnsiConsole? _terminal;

    /// <summary>
    /// Standard output flushed after every write, as Console.Out is, but through a 32 K buffer: Console.Out's 256-character
    /// buffer turned compare's 2.7 MB table into 10,600 write calls.
    /// </summary>
    private static TextWriter StandardOutput() => TextWriter.Synchronized(
        new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 32 * 1024) { AutoFlush = true });

    /// <summary>The same streams and environment for a workflow, with a live status line on an interactive terminal.</summary>
    public WorkflowHost Host => new(Out, Error, Environment, Interactive ? new TerminalStatus(this) : NoStatusDisplay.Instance);

    /// <summary>Spectre console over <see cref="Out"/> for tables and live status: colour and animation only on an interactive terminal.</summary>
    /// <remarks>Made on first use: commands that print plain text (compare, detect in CI) skip its ~30 ms of set-up.</remarks>
    public IAnsiConsole Terminal => _terminal ??= CreateConsole(Out, Interactive);

    private static IAnsiConsole CreateConsole(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!interactive)
        {
            // Logs and pipes have no width; wrapping cells at 80 columns would make them unreadable.
            console.Profile.Width = 240;
        }

        return console;
    }
}

/// <summary>Spectre's status spinner with the latest progress text, on an interactive terminal.</summary>
internal sealed class TerminalStatus(CliContext context) : IStatusDisplay
{
    public T Show<T>(string initial, Func<IProgress<string>?, T> work) =>
        context.Terminal.Status().Start(initial, status => work(new Line(status)));

    /// <summary>Updates the status on the working thread, as it reports (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class Line(StatusContext status) : IProgress<string>
    {
        public void Report(string value) => status.Status = Markup.Escape(value);
    }
}
