using System.Diagnostics;

namespace BenchGate.Processes;

/// <summary>How a program ended: its exit code (-1 when killed or not started), what it printed, and why it did not finish.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, bool NotFound)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut && !NotFound;
}

/// <summary>
/// Runs a short program to its end: both streams read while it runs (a full pipe would block it), killed with its
/// children after the timeout (a hung git or nvidia-smi must not hang BenchGate), and "not found" as an answer, not
/// an exception. llama-bench and memcheck's measured command stream their output and use their own loops.
/// </summary>
public static class ExternalProcess
{
    public static ProcessResult Run(string program, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, bool capture = true)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = capture,
            RedirectStandardError = capture,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new ProcessResult(-1, "", "", TimedOut: false, NotFound: true);
        }

        using (p)
        {
            var stdout = capture ? p.StandardOutput.ReadToEndAsync() : Task.FromResult("");
            var stderr = capture ? p.StandardError.ReadToEndAsync() : Task.FromResult("");
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                return new ProcessResult(-1, "", "", TimedOut: true, NotFound: false);
            }

            p.WaitForExit();
            return new ProcessResult(p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), TimedOut: false, NotFound: false);
        }
    }
}
