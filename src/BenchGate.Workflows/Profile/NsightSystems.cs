using BenchGate.Processes;

namespace BenchGate.Workflows.Profile;

/// <summary>
/// NVIDIA Nsight Systems around both builds, where nsys is installed: one report file per build, for the Nsight
/// Systems GUI or <c>nsys stats</c>. Where it is not, the profile says so and goes on with perf alone.
/// </summary>
internal static class NsightSystems
{
    public static string Run(WorkflowHost host, ProfileRequest req, IReadOnlyList<string> args, string dir, bool keep)
    {
        var nsys = host.Variable("BENCHGATE_NSYS") ?? "nsys";
        if (ExternalProcess.Run(nsys, ["--version"], TimeSpan.FromSeconds(30)) is { NotFound: true } or { Succeeded: false })
        {
            host.Error.WriteLine("profile: nsys (NVIDIA Nsight Systems) not found: its profile is skipped");
            return "Nsight Systems: nsys was not found on this machine, so no GPU timeline was recorded.";
        }

        var reports = new List<string>();
        foreach (var (role, bench) in new[] { ("baseline", req.BaselineBench), ("new", req.Bench) })
        {
            host.Out.WriteLine($"profile: {role}: nsys profile {bench}");
            var output = Path.Combine(dir, role);
            var r = ExternalProcess.Run(nsys, ["profile", "--force-overwrite=true", "-o", output, "--", bench, .. args], req.Timeout);
            if (!r.Succeeded)
            {
                // perf's profile is already taken: a failing nsys costs its own part only.
                host.Error.WriteLine($"profile: nsys profile of {bench} failed (exit code {r.ExitCode}){(r.TimedOut ? ", timed out" : "")}: its timeline is skipped");
                return $"Nsight Systems: nsys profile of {bench} failed (exit code {r.ExitCode}{(r.TimedOut ? ", timed out" : "")}); no GPU timeline.";
            }

            reports.Add(output + ".nsys-rep");
        }

        return keep
            ? $"Nsight Systems: {string.Join(" and ", reports)} (open in Nsight Systems, or nsys stats -r cuda_gpu_kern_sum)."
            : "Nsight Systems ran; give --work-dir to keep its report files.";
    }
}
