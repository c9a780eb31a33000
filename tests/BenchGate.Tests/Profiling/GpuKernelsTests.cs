using BenchGate.Profiling;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Profiling;

/// <summary>Nsight Systems' kernel summary as nsys stats prints it, and two builds' kernels paired.</summary>
public sealed class GpuKernelsTests
{
    [Fact]
    public void The_table_starts_at_its_header_and_a_quoted_name_keeps_its_commas()
    {
        var kernels = GpuKernels.Parse(Fixtures.Text("nsys/kern_sum_baseline.csv"));

        Assert.Equal(5, kernels.Count);
        Assert.Equal(new GpuKernel("void rms_norm_f32<(int)1024>(const float *, float *, int, long, long, long, float)", 20_418_560, 2560), kernels[2]);
        Assert.StartsWith("void mul_mat_q<(ggml_type)2, (int)128, (bool)0>(", kernels[0].Name, StringComparison.Ordinal);
        Assert.Empty(GpuKernels.Parse("Processing [x.sqlite] with [cuda_gpu_kern_sum.py]...\nSKIPPED: x.sqlite does not contain CUDA kernel data.\n"));
        Assert.Single(GpuKernels.Parse("Time (%),Total Time (ns),Instances,Avg (ns),Name\n100.0,1000,2,500.0,\"k<1, 2>\"\n\n"));
        // A header without the columns read (another report's): nothing, not an exception.
        Assert.Empty(GpuKernels.Parse("Time (%),Total Time (ns),Kernel Name\n100.0,1000,k\n"));
    }

    [Fact]
    public void Kernels_pair_by_name_largest_change_in_gpu_time_first_and_one_only_one_build_launched_counts_whole()
    {
        var changes = GpuKernels.Compare(GpuKernels.Parse(Fixtures.Text("nsys/kern_sum_baseline.csv")), GpuKernels.Parse(Fixtures.Text("nsys/kern_sum_new.csv")), 10);

        Assert.Equal(5, changes.Count);
        Assert.StartsWith("void flash_attn_ext_f16<", changes[0].Name, StringComparison.Ordinal);
        Assert.Equal(89_128_960 - 44_757_504, changes[0].DeltaNs);
        Assert.Equal(("quantize_q8_1(const float *, void *, long, long, long, long)", (long?)null, -12_994_560L), (changes[1].Name, changes[1].NewNs, changes[1].DeltaNs));
        Assert.Equal((1280, 0), (changes[1].BaselineInstances, changes[1].NewInstances));
        Assert.True(changes.Zip(changes.Skip(1)).All(p => Math.Abs(p.First.DeltaNs) >= Math.Abs(p.Second.DeltaNs)));
        Assert.Equal(2, GpuKernels.Compare(GpuKernels.Parse(Fixtures.Text("nsys/kern_sum_baseline.csv")), [], 2).Count);
    }
}
