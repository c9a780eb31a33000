using System.Diagnostics;

namespace BenchGate.Cli.Rendering;

/// <summary>--verbose: what a command decided and how long each phase took, on stderr (stdout stays the result).</summary>
internal sealed class PhaseLog(TextWriter error, bool enabled)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Mark(string what)
    {
        if (enabled)
        {
            error.WriteLine($"[{_clock.ElapsedMilliseconds,6} ms] {what}");
        }
    }
}
