using System.Diagnostics;

namespace BenchGate.Cli.Tests;

/// <summary>
/// Runs the real benchgate program as a child process, as a user or CI would: the build's BenchGate.Cli.dll, or the
/// native executable named by BENCHGATE_EXE (.ci/run runs these tests a second time against the native build).
/// </summary>
internal static class CliProcess
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "BenchGate.Cli.dll");

    /// <summary>The native benchgate under test, or null to run <see cref="Dll"/> with dotnet.</summary>
    public static string? Native { get; } = Environment.GetEnvironmentVariable("BENCHGATE_EXE") is { Length: > 0 } exe ? Path.GetFullPath(exe) : null;

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
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

        psi.Environment["CI"] = "true";
        psi.Environment.Remove("RESULTS_DB");
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        return psi;
    }

    public static Result Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, null, args);

    public static Result Run(string workingDirectory, byte[]? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var p = Process.Start(StartInfo(workingDirectory, environment, args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
        }

        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("benchgate did not finish in 2 minutes");
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
