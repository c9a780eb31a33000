using System.Diagnostics;

namespace BenchGate.Processes;

/// <summary>How one llama-bench invocation ended.</summary>
public sealed record LlamaBenchExit(int ExitCode, bool TimedOut, long PeakRssBytes, IReadOnlyList<string> LastStderr, long? PeakVramBytes = null)
{
    public bool Failed => TimedOut || ExitCode != 0;

    /// <summary>": " and the last two stderr lines, for a failure's message ("" when it printed none).</summary>
    public string StderrTail => LastStderr.Count > 0 ? ": " + string.Join(" / ", LastStderr.TakeLast(2)) : "";
}

/// <summary>
/// One llama-bench process: its stdout (jsonl, read by the caller as it arrives), its stderr copied to a log file and
/// its <c>--progress</c> lines reported, its peak RSS sampled from /proc, and a timeout that kills it.
/// </summary>
public sealed class LlamaBenchProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task _stderr;
    private readonly Task _sampler;
    private readonly Queue<string> _lastStderr = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer _timeout;
    private readonly GpuProbe? _gpu;
    private long _peak;
    private long _peakVram = -1;
    private bool _timedOut;

    private LlamaBenchProcess(Process process, StreamWriter? log, IProgress<string>? progress, TimeSpan timeout, GpuProbe? gpu)
    {
        _process = process;
        _gpu = gpu;
        _stderr = Task.Run(() => CopyStderr(log, progress));
        _sampler = Task.Run(SamplePeak);
        _timeout = new Timer(_ => Kill(), null, timeout, Timeout.InfiniteTimeSpan);
    }

    public Stream Stdout => _process.StandardOutput.BaseStream;

    /// <summary>
    /// Starts llama-bench with the user's arguments, asking for jsonl (samples) and --progress; with a
    /// <paramref name="gpu"/> probe, the peak device memory is sampled too.
    /// </summary>
    public static LlamaBenchProcess Start(string bench, IReadOnlyList<string> args, StreamWriter? log, IProgress<string>? progress, TimeSpan timeout, GpuProbe? gpu = null)
    {
        if (!File.Exists(bench))
        {
            throw new IOException($"{bench}: no such file (the llama-bench binary; build it with cmake --build build -t llama-bench)");
        }

        var psi = new ProcessStartInfo(Path.GetFullPath(bench)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in Arguments(args))
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            return new LlamaBenchProcess(Process.Start(psi)!, log, progress, timeout, gpu);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"{bench}: cannot run it: {e.Message}");
        }
    }

    /// <summary>
    /// Runs llama-bench to its end and keeps its stdout (one short line per test), rewound: the caller stores it once
    /// the process has exited, so a SQLite file's write lock is held for the moment of storing, not for the whole run.
    /// </summary>
    public static (MemoryStream Output, LlamaBenchExit Exit) RunToEnd(string bench, IReadOnlyList<string> args, StreamWriter? log, IProgress<string>? progress, TimeSpan timeout,
        GpuProbe? gpu = null)
    {
        using var process = Start(bench, args, log, progress, timeout, gpu);
        var output = new MemoryStream();
        process.Stdout.CopyTo(output);
        var exit = process.WaitForExit();
        output.Position = 0;
        return (output, exit);
    }

    /// <summary>The user's arguments with the output format forced to jsonl (the only one with samples) and --progress added.</summary>
    public static List<string> Arguments(IReadOnlyList<string> args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-o" or "--output" && i + 1 < args.Count)
            {
                i++;
                continue;
            }

            result.Add(args[i]);
        }

        result.AddRange(["-o", "jsonl"]);
        if (!result.Contains("--progress"))
        {
            result.Add("--progress");
        }

        return result;
    }

    /// <summary>How it ended, if it ends within <paramref name="wait"/>; else it is killed and null is returned.</summary>
    public LlamaBenchExit? ExitedWithin(TimeSpan wait)
    {
        if (_process.WaitForExit(wait))
        {
            return WaitForExit();
        }

        Kill();
        return null;
    }

    public LlamaBenchExit WaitForExit()
    {
        _process.WaitForExit();
        _stop.Cancel();
        _stderr.Wait();
        _sampler.Wait();
        lock (_lastStderr)
        {
            var vram = Interlocked.Read(ref _peakVram);
            return new LlamaBenchExit(_process.ExitCode, _timedOut, Interlocked.Read(ref _peak), [.. _lastStderr], vram >= 0 ? vram : null);
        }
    }

    /// <summary>Stops a run that has gone wrong (a parse error in its output): nothing of it is stored.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _timedOut = true;
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    public void Dispose()
    {
        Kill();
        _timeout.Dispose();
        _stop.Dispose();
        _process.Dispose();
    }

    private void CopyStderr(StreamWriter? log, IProgress<string>? progress)
    {
        string? line;
        while ((line = _process.StandardError.ReadLine()) is not null)
        {
            log?.WriteLine(line);
            lock (_lastStderr)
            {
                _lastStderr.Enqueue(line);
                if (_lastStderr.Count > 5)
                {
                    _lastStderr.Dequeue();
                }
            }

            if (line.StartsWith("llama-bench: benchmark", StringComparison.Ordinal))
            {
                progress?.Report(line["llama-bench: ".Length..]);
            }
        }

        log?.Flush();
    }

    private async Task SamplePeak()
    {
        // VmHWM is the kernel's own high-water mark, so a short spike between two samples is not missed. Device memory
        // has no such mark: it is sampled every second (each sample starts nvidia-smi, some 50 ms of a core), so its peak
        // is a lower bound; a run that holds none after 15 samples (a CPU job on a GPU machine) is not asked again.
        var nextGpu = Environment.TickCount64;
        var emptyAnswers = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (ProcessMemorySampler.ReadStatus(_process.Id) is { } status)
                {
                    Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), status.Hwm));
                }

                if (_gpu is { Absent: false } gpu && emptyAnswers < 15 && Environment.TickCount64 >= nextGpu)
                {
                    nextGpu = Environment.TickCount64 + 1000;
                    if (gpu.ProcessBytes(_process.Id) is { } bytes)
                    {
                        // This task is the only writer: the exchange publishes the value to WaitForExit's read.
                        Interlocked.Exchange(ref _peakVram, Math.Max(_peakVram, bytes));
                    }
                    else if (_peakVram < 0)
                    {
                        emptyAnswers++;
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // The process has ended: keep the last peak.
            }

            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }
}
