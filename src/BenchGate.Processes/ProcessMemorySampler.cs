using System.Diagnostics;
using System.Globalization;
using BenchGate.Memory;

namespace BenchGate.Processes;

/// <summary>The samples of one measured run, and how the command ended.</summary>
public sealed record SampledRun(int ExitCode, bool TimedOut, IReadOnlyList<MemorySample> Rss, IReadOnlyList<MemorySample> Gpu, long PeakRssBytes, string Stderr);

/// <summary>
/// Runs a command and samples its resident memory from /proc/PID/status (VmRSS, and VmHWM for the true peak between
/// samples) and, where nvidia-smi or rocm-smi exists, the GPU memory that process holds.
/// </summary>
public static class ProcessMemorySampler
{
    public static SampledRun Run(IReadOnlyList<string> command, TimeSpan interval, TimeSpan timeout, TextWriter? stdout, GpuProbe? probe = null)
    {
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"cannot run '{command[0]}': {e.Message}");
        }

        using (p)
        {
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            var rss = new List<MemorySample>();
            var gpu = new List<MemorySample>();
            long hwm = 0;
            probe ??= new GpuProbe("nvidia-smi", "rocm-smi");
            var nextGpu = TimeSpan.Zero;
            var timedOut = false;
            while (!p.WaitForExit(interval))
            {
                if (ReadStatus(p.Id) is { } status)
                {
                    rss.Add(new MemorySample(clock.Elapsed.TotalSeconds, status.Rss));
                    hwm = Math.Max(hwm, status.Hwm);
                }

                if (!probe.Absent && clock.Elapsed >= nextGpu)
                {
                    nextGpu = clock.Elapsed + TimeSpan.FromMilliseconds(500);
                    if (probe.ProcessBytes(p.Id) is { } bytes)
                    {
                        gpu.Add(new MemorySample(clock.Elapsed.TotalSeconds, bytes));
                    }
                }

                if (clock.Elapsed > timeout)
                {
                    p.Kill(entireProcessTree: true);
                    timedOut = true;
                    break;
                }
            }

            p.WaitForExit();
            stdout?.Write(output.Result);
            return new SampledRun(timedOut ? -1 : p.ExitCode, timedOut, rss, gpu, Math.Max(hwm, rss.Count == 0 ? 0 : rss.Max(s => s.Bytes)), error.Result);
        }
    }

    /// <summary>VmRSS and VmHWM (bytes) of a running process; null once it has ended or where /proc is not.</summary>
    internal static (long Rss, long Hwm)? ReadStatus(int pid)
    {
        try
        {
            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kb(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kb(line);
                }
            }

            return rss == 0 ? null : (rss, hwm);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended between WaitForExit and the read.
            return null;
        }
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
