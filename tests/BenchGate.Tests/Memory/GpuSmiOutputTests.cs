using BenchGate.Memory;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Memory;

/// <summary>
/// nvidia-smi's and rocm-smi's answers as their documentation gives them (there is no GPU on this machine to record
/// them from) and, for rocm-smi's devices, as two real AMD machines answered: one process's device memory, and the
/// machine's GPUs.
/// </summary>
public sealed class GpuSmiOutputTests
{
    [Fact]
    public void Nvidia_smi_gives_a_process_memory_summed_over_its_gpus_and_no_value_for_a_process_it_does_not_list()
    {
        // --query-compute-apps=pid,used_memory --format=csv,noheader,nounits: a line per process and GPU, MiB.
        const string csv = "4012, 20030\n31337, 1536\n31337, 512\n";
        Assert.Equal(2048, GpuSmiOutput.NvidiaProcessMib(csv, 31337));
        Assert.Null(GpuSmiOutput.NvidiaProcessMib(csv, 7));
        Assert.Null(GpuSmiOutput.NvidiaProcessMib("No running processes found\n", 31337));
        Assert.Null(GpuSmiOutput.NvidiaProcessMib("", 31337));
    }

    [Fact]
    public void Rocm_smi_gives_the_vram_column_of_the_process_even_when_its_name_has_spaces()
    {
        const string text = """
            ============================ ROCm System Management Interface ============================
            ===================================== KFD Processes ======================================
            KFD process information:
            PID	PROCESS NAME	GPU(s)	VRAM USED	SDMA USED	CU OCCUPANCY
            31337	llama-bench	1	1610612736	0	0
            4012	python3 train.py	2	8589934592	4096	12
            ==========================================================================================
            ================================= End of ROCm SMI Log ====================================
            """;
        Assert.Equal(1_610_612_736, GpuSmiOutput.RocmProcessBytes(text, 31337));
        Assert.Equal(8_589_934_592, GpuSmiOutput.RocmProcessBytes(text, 4012));
        Assert.Null(GpuSmiOutput.RocmProcessBytes(text, 7));
        Assert.Null(GpuSmiOutput.RocmProcessBytes("No KFD PIDs currently running\n", 31337));

        // Versions without the CU OCCUPANCY column: the header places VRAM.
        const string older = "PID\tPROCESS NAME\tGPU(s)\tVRAM USED\tSDMA USED\n31337\tllama-bench\t1\t1073741824\t0\n";
        Assert.Equal(1_073_741_824, GpuSmiOutput.RocmProcessBytes(older, 31337));
    }

    [Fact]
    public void The_machines_gpus_are_named_with_their_driver_and_alike_ones_counted()
    {
        // --query-gpu=name,driver_version,memory.total --format=csv,noheader,nounits
        var two = GpuSmiOutput.NvidiaDevices("NVIDIA GeForce RTX 4090, 550.54.14, 24564\nNVIDIA GeForce RTX 4090, 550.54.14, 24564\n");
        Assert.Equal(new GpuDevice("NVIDIA GeForce RTX 4090", "550.54.14", 24564), two[0]);
        Assert.Equal("2× NVIDIA GeForce RTX 4090, driver 550.54.14", GpuSmiOutput.Describe(two));
        var mixed = GpuSmiOutput.NvidiaDevices("NVIDIA A100-SXM4-80GB, 535.129.03, 81920\nNVIDIA L4, 535.129.03, 23034\n");
        Assert.Equal("NVIDIA A100-SXM4-80GB, driver 535.129.03 + NVIDIA L4, driver 535.129.03", GpuSmiOutput.Describe(mixed));
        Assert.Null(GpuSmiOutput.Describe(GpuSmiOutput.NvidiaDevices("")));
    }

    [Fact]
    public void Rocm_smi_names_each_card_by_its_marketing_name_with_the_driver_in_both_spellings_of_its_key()
    {
        var mi100 = GpuSmiOutput.RocmDevices(Fixtures.Text("gpu/rocm-smi-mi100-rocm602.json"));
        Assert.Equal(4, mi100.Count);
        Assert.Equal(new GpuDevice("AMD Instinct MI100", "6.3.6", 32752), mi100[0]);
        Assert.Equal("4× AMD Instinct MI100, driver 6.3.6", GpuSmiOutput.Describe(mi100));

        // ROCm 6.1 writes "Card Series", and prints a blank line before the JSON.
        var rx = Assert.Single(GpuSmiOutput.RocmDevices(Fixtures.Text("gpu/rocm-smi-rx6700xt-rocm612.json")));
        Assert.Equal("AMD Radeon RX 6700/6700 XT / 6800M", rx.Name);
        Assert.Equal(12272, rx.MemoryMib);

        // A warning printed before the JSON, a series without brackets, a name that already says AMD.
        var warned = GpuSmiOutput.RocmDevices("WARNING: AMD GPU device(s) is/are in a low-power state. Check power control/runtime_status\n\n"
            + "{\"card0\": {\"Card Series\": \"Navi 31\"}, \"card1\": {\"Card series\": \"AMD Radeon PRO W7900\"}, \"system\": {\"Driver version\": \"6.7.0\"}}");
        Assert.Equal(["AMD Navi 31", "AMD Radeon PRO W7900"], warned.Select(d => d.Name));
        Assert.All(warned, d => Assert.Equal("6.7.0", d.Driver));
        Assert.Empty(GpuSmiOutput.RocmDevices("ERROR: No AMD GPUs specified"));
        Assert.Empty(GpuSmiOutput.RocmDevices("{\"system\": {\"Driver version\": \"6.3.6\"}}"));
    }
}
