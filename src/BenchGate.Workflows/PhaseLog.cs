using System.Diagnostics;

namespace BenchGate.Workflows;

/// <summary>--verbose: what a command decided and how long each phase took, on stderr (stdout stays the result).</summary>
public sealed class PhaseLog(TextWriter error, bool enabled)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Mark(string what)
    {
        if (enabled)
        {
            // Collections so far and their pause: on a large input the garbage collector can be a phase of its own. The
            // peak resident memory so far says which phase made a command's peak.
            using var self = Process.GetCurrentProcess();
            error.WriteLine($"[{_clock.ElapsedMilliseconds,6} ms] {what} (gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms, peak {self.PeakWorkingSet64 >> 20} MB)");
        }
    }
}
