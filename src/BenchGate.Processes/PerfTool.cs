using System.Globalization;

namespace BenchGate.Processes;

/// <summary>What a program printed under perf: its stdout (llama-bench's jsonl) and perf's own text (a report, counters).</summary>
public sealed record PerfRun(string Stdout, string PerfText);

/// <summary>
/// Linux perf, run as a program: <c>perf record</c> and <c>perf stat</c> around llama-bench, <c>perf report</c> on the
/// recorded data. Each failure is told apart: perf missing, perf not allowed to sample, llama-bench failing.
/// </summary>
public sealed class PerfTool(string perf, TimeSpan timeout)
{
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(10);

    /// <summary>perf's version line, or null when there is no perf.</summary>
    public string? Version()
    {
        var r = ExternalProcess.Run(perf, ["--version"], TimeSpan.FromSeconds(30));
        return r.Succeeded ? r.Stdout.Trim() : null;
    }

    /// <summary>Samples <paramref name="program"/> at <paramref name="frequency"/> a second into <paramref name="dataFile"/>.</summary>
    public PerfRun Record(string program, IReadOnlyList<string> args, string dataFile, int frequency)
    {
        // --no-buildid-cache: every profiled build would otherwise be copied into ~/.debug.
        string[] perfArgs = ["record", "-q", "--no-buildid-cache", "-F", frequency.ToString(CultureInfo.InvariantCulture), "-o", dataFile, "--", program, .. args];
        var r = Checked(ExternalProcess.Run(perf, perfArgs, timeout), program, "perf record");
        return new PerfRun(r.Stdout, "");
    }

    /// <summary>perf report's text for a data file, in the arguments' shape.</summary>
    public string Report(IReadOnlyList<string> reportArgs, string dataFile)
    {
        var r = ExternalProcess.Run(perf, reportArgs, Short);
        if (!r.Succeeded)
        {
            throw new ExternalToolException($"perf report on {dataFile} failed{Tail(r.Stderr)}", "perf");
        }

        return r.Stdout;
    }

    /// <summary>Counts <paramref name="events"/> over one run of <paramref name="program"/>, in perf stat's -x ';' text.</summary>
    public PerfRun Stat(string program, IReadOnlyList<string> args, IReadOnlyList<string> events, string statFile)
    {
        string[] perfArgs = ["stat", "-x", ";", "-e", string.Join(',', events), "-o", statFile, "--", program, .. args];
        var r = Checked(ExternalProcess.Run(perf, perfArgs, timeout), program, "perf stat");
        return new PerfRun(r.Stdout, File.ReadAllText(statFile));
    }

    private ProcessResult Checked(ProcessResult r, string program, string what)
    {
        if (r.NotFound)
        {
            throw new ExternalToolException($"{perf} not found: profile needs Linux perf (Debian: apt-get install linux-perf)", "perf");
        }

        if (r.TimedOut)
        {
            throw new ExternalToolException($"{what} of {program} did not end within {timeout.TotalSeconds:0} s (--timeout); it was killed", program);
        }

        if (r.ExitCode == 0)
        {
            return r;
        }

        var stderr = r.Stderr;
        if (stderr.Contains("perf_event_paranoid", StringComparison.Ordinal) || stderr.Contains("Permission denied", StringComparison.Ordinal)
            || stderr.Contains("No permission", StringComparison.Ordinal) || stderr.Contains("Access to performance monitoring", StringComparison.Ordinal))
        {
            throw new ExternalToolException(
                $"{what} is not allowed to sample here (kernel.perf_event_paranoid is {Paranoid()}): run as root, or 'sysctl kernel.perf_event_paranoid=1', or give the user CAP_PERFMON",
                "perf");
        }

        // perf passes the program's exit code on; 255 with "failed to start" when it could not run it at all.
        return stderr.Contains("failed to start", StringComparison.OrdinalIgnoreCase) || stderr.Contains("No such file", StringComparison.Ordinal)
            ? throw new ExternalToolException($"{what} could not start {program}{Tail(stderr)}", program)
            : throw new ExternalToolException($"{program} exited with code {r.ExitCode} under {what}{Tail(stderr)}", program);
    }

    private static string Paranoid()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/perf_event_paranoid").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static string Tail(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : ": " + string.Join(" / ", lines.TakeLast(2));
    }
}
