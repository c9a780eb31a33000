using BenchGate.Memory;

namespace BenchGate.Processes;

/// <summary>
/// The GPU tools of this machine, asked with a short timeout (a GPU in a bad state hangs them): how much device memory
/// a process holds and which GPUs and driver the machine has (nvidia-smi, else rocm-smi). Where neither
/// tool exists, every answer is null and costs a failed start of each. BENCHGATE_NVIDIA_SMI and BENCHGATE_ROCM_SMI name
/// other programs.
/// </summary>
public sealed class GpuProbe(string nvidiaSmi, string rocmSmi)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private bool _noNvidia;
    private bool _noRocm;

    public static GpuProbe FromEnvironment(Func<string, string?> environment) =>
        new(environment("BENCHGATE_NVIDIA_SMI") is { Length: > 0 } n ? n : "nvidia-smi", environment("BENCHGATE_ROCM_SMI") is { Length: > 0 } r ? r : "rocm-smi");

    /// <summary>The bytes of device memory <paramref name="pid"/> holds now, or null (no tool, or the process holds none).</summary>
    public long? ProcessBytes(int pid)
    {
        if (!_noNvidia)
        {
            var r = ExternalProcess.Run(nvidiaSmi, GpuSmiOutput.NvidiaProcessQuery, Timeout);
            _noNvidia = r.NotFound;
            if (r.Succeeded && GpuSmiOutput.NvidiaProcessMib(r.Stdout, pid) is { } mib)
            {
                return mib * 1024 * 1024;
            }
        }

        if (!_noRocm)
        {
            var r = ExternalProcess.Run(rocmSmi, GpuSmiOutput.RocmProcessQuery, Timeout);
            _noRocm = r.NotFound;
            if (r.Succeeded)
            {
                return GpuSmiOutput.RocmProcessBytes(r.Stdout, pid);
            }
        }

        return null;
    }

    /// <summary>Whether any GPU tool is here at all (after a first question).</summary>
    public bool Absent => _noNvidia && _noRocm;

    /// <summary>Whether nvidia-smi answers with at least one GPU (what Nsight Systems needs).</summary>
    public bool HasNvidiaGpu() => NvidiaDevices().Count > 0;

    /// <summary>The machine's GPUs and driver as a name part (see <see cref="GpuSmiOutput.Describe"/>), or null.</summary>
    public string? Identity()
    {
        if (GpuSmiOutput.Describe(NvidiaDevices()) is { } nvidia)
        {
            return nvidia;
        }

        var r = ExternalProcess.Run(rocmSmi, GpuSmiOutput.RocmDeviceQuery, Timeout);
        return r.Succeeded ? GpuSmiOutput.Describe(GpuSmiOutput.RocmDevices(r.Stdout)) : null;
    }

    private IReadOnlyList<GpuDevice> NvidiaDevices()
    {
        var r = ExternalProcess.Run(nvidiaSmi, GpuSmiOutput.NvidiaDeviceQuery, Timeout);
        return r.Succeeded ? GpuSmiOutput.NvidiaDevices(r.Stdout) : [];
    }
}
