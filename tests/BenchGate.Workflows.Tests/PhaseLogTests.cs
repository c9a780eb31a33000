using System.Text.RegularExpressions;

namespace BenchGate.Workflows.Tests;

public sealed partial class PhaseLogTests
{
    [Fact]
    public void Each_phase_says_its_time_collections_and_the_peak_memory_so_far()
    {
        var error = new StringWriter { NewLine = "\n" };
        var log = new PhaseLog(error, enabled: true);
        var resident = Environment.WorkingSet >> 20;

        log.Mark("read both sides");

        var match = Line().Match(error.ToString());
        Assert.True(match.Success, error.ToString());
        // A peak, not a count of something else: at least what the process held just before.
        Assert.InRange(long.Parse(match.Groups["peak"].Value, System.Globalization.CultureInfo.InvariantCulture), Math.Max(1, resident), long.MaxValue);
    }

    [Fact]
    public void Nothing_is_said_without_verbose()
    {
        var error = new StringWriter();

        new PhaseLog(error, enabled: false).Mark("read both sides");

        Assert.Equal("", error.ToString());
    }

    [GeneratedRegex(@"^\[ *\d+ ms\] read both sides \(gc \d+/\d+/\d+, paused \d+ ms, peak (?<peak>\d+) MB\)\n$")]
    private static partial Regex Line();
}
