using System.Diagnostics;

namespace BenchGate.Cli.Tests;

/// <summary>
/// Runs benchgate as a user or CI would. By default in this process, through <see cref="Program.Run"/> with its own
/// output buffers, environment and working directory (fast, and independent of how busy the machine is); as the
/// real executable named by BENCHGATE_EXE when that is set (.ci/run runs these tests a second time against the
/// installed native build); and always as a child process where the process itself is what a test checks
/// (<see cref="RunProcess"/>: exit codes of crashes, parallel writers).
/// </summary>
internal static class CliProcess
{
    // Commands resolve relative paths against the process's working directory and child processes inherit its
    // environment: in-process runs take turns.
    private static readonly Lock Turn = new();

    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "BenchGate.Cli.dll");

    /// <summary>The native benchgate under test, or null to run <see cref="Dll"/> with dotnet.</summary>
    public static string? Native { get; } = System.Environment.GetEnvironmentVariable("BENCHGATE_EXE") is { Length: > 0 } exe ? Path.GetFullPath(exe) : null;

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        // The environment is copied from this process: not while an in-process run has changed it.
        lock (Turn)
        {
            return NewStartInfo(workingDirectory, environment, args);
        }
    }

    private static ProcessStartInfo NewStartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var psi = new ProcessStartInfo(Native ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Native is null)
        {
            psi.ArgumentList.Add(Dll);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in Environment(environment))
        {
            if (v is null)
            {
                psi.Environment.Remove(k);
            }
            else
            {
                psi.Environment[k] = v;
            }
        }

        return psi;
    }

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, null, args);

    public static Result Run(string workingDirectory, byte[]? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Native is null ? RunInProcess(workingDirectory, stdin, environment, args) : RunProcess(workingDirectory, stdin, environment, args);

    /// <summary>benchgate as a child process, whatever BENCHGATE_EXE says.</summary>
    public static Result RunProcess(string workingDirectory, byte[]? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var p = Process.Start(StartInfo(workingDirectory, environment, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
        }

        p.StandardInput.Close();
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static Result RunInProcess(string workingDirectory, byte[]? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        lock (Turn)
        {
            var directory = Directory.GetCurrentDirectory();
            var saved = new Dictionary<string, string?>();
            try
            {
                Directory.SetCurrentDirectory(workingDirectory);
                foreach (var (k, v) in Environment(environment))
                {
                    saved.TryAdd(k, System.Environment.GetEnvironmentVariable(k));
                    System.Environment.SetEnvironmentVariable(k, v);
                }

                using var stdout = new StringWriter { NewLine = "\n" };
                using var stderr = new StringWriter { NewLine = "\n" };
                var context = new CliContext(stdout, stderr, () => new MemoryStream(stdin ?? []), System.Environment.GetEnvironmentVariable, Interactive: false);
                var code = Program.Run(args, context);
                return new Result(code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                foreach (var (k, v) in saved)
                {
                    System.Environment.SetEnvironmentVariable(k, v);
                }

                Directory.SetCurrentDirectory(directory);
            }
        }
    }

    /// <summary>What a run sees: CI's environment (so no animation), no RESULTS_DB from the developer's shell, and the test's own variables.</summary>
    private static IEnumerable<(string Key, string? Value)> Environment(IReadOnlyDictionary<string, string>? environment)
    {
        yield return ("CI", "true");
        yield return ("RESULTS_DB", null);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            yield return (k, v);
        }
    }
}
