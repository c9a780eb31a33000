using BenchGate.Processes;
using BenchGate.Profiling;

namespace BenchGate.Workflows.Profile;

/// <summary>When profile runs NVIDIA Nsight Systems beside perf.</summary>
public enum NsysMode
{
    /// <summary>Where nsys is installed and nvidia-smi finds an NVIDIA GPU; silent otherwise (a CPU, Mac or AMD machine).</summary>
    Auto,

    /// <summary>Asked for (--nsys): runs without looking for a GPU, and where nsys is not installed the report says so.</summary>
    Required,

    /// <summary>Never.</summary>
    Off,
}

/// <summary>
/// NVIDIA Nsight Systems around both builds, where nsys is installed and an NVIDIA GPU is found (or when asked): one report file per build, and the CUDA kernels
/// whose GPU time changed most between them (<c>nsys stats</c>'s cuda_gpu_kern_sum). Where it is not, the profile says
/// so and goes on with perf alone; a failing nsys costs only its own part.
/// </summary>
internal static class NsightSystems
{
    public static (string? Note, IReadOnlyList<GpuKernelChange>? Kernels) Run(WorkflowHost host, ProfileRequest req, IReadOnlyList<string> args, string dir, bool keep)
    {
        // Without an NVIDIA GPU nsys would record two more runs to find no kernel: by default, ask for one first.
        if (req.Nsys == NsysMode.Auto && !GpuProbe.FromEnvironment(host.Variable).HasNvidiaGpu())
        {
            return (null, null);
        }

        var nsys = host.Variable("BENCHGATE_NSYS") ?? "nsys";
        if (ExternalProcess.Run(nsys, ["--version"], TimeSpan.FromSeconds(30)) is { NotFound: true } or { Succeeded: false })
        {
            host.Error.WriteLine("profile: nsys (NVIDIA Nsight Systems) not found: its profile is skipped");
            return (req.Nsys == NsysMode.Required ? "Nsight Systems: nsys was not found on this machine, so no GPU timeline was recorded." : null, null);
        }

        var reports = new List<string>();
        var kernels = new List<IReadOnlyList<GpuKernel>>();
        foreach (var (role, bench) in new[] { ("baseline", req.BaselineBench), ("new", req.Bench) })
        {
            host.Out.WriteLine($"profile: {role}: nsys profile {bench}");
            var output = Path.Combine(dir, role);
            var r = ExternalProcess.Run(nsys, ["profile", "--force-overwrite=true", "-o", output, "--", bench, .. args], req.Timeout);
            if (!r.Succeeded)
            {
                host.Error.WriteLine($"profile: nsys profile of {bench} failed (exit code {r.ExitCode}){(r.TimedOut ? ", timed out" : "")}: its timeline is skipped");
                return ($"Nsight Systems: nsys profile of {bench} failed (exit code {r.ExitCode}{(r.TimedOut ? ", timed out" : "")}); no GPU timeline.", null);
            }

            var report = output + ".nsys-rep";
            reports.Add(report);
            var stats = ExternalProcess.Run(nsys, [.. GpuKernels.StatsQuery, report], req.Timeout);
            if (!stats.Succeeded)
            {
                host.Error.WriteLine($"profile: nsys stats of {report} failed (exit code {stats.ExitCode}): no kernel summary");
                return ($"Nsight Systems: nsys stats of {report} failed (exit code {stats.ExitCode}); no kernel summary.", null);
            }

            kernels.Add(GpuKernels.Parse(stats.Stdout));
        }

        var changes = GpuKernels.Compare(kernels[0], kernels[1], req.Top);
        var where = keep
            ? $"its reports are {string.Join(" and ", reports)} (open them in Nsight Systems)"
            : "give --work-dir to keep its report files";
        return (changes.Count == 0
            ? $"Nsight Systems ran, but neither build launched a CUDA kernel (a CPU build, or -ngl 0); {where}."
            : $"Nsight Systems: GPU time per kernel from nsys stats (cuda_gpu_kern_sum); {where}.", changes.Count == 0 ? null : changes);
    }
}
