using BenchGate.Profiling;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Profiling;

public sealed class ProfileDeltaTests
{
    private static CpuProfile Profile(params (string Symbol, long Samples)[] functions) =>
        new("cpu-clock", [.. functions.Select(f => new FunctionSamples("llama-bench", f.Symbol, f.Samples, f.Samples * 1_000_000d, true))]);

    [Fact]
    public void The_function_that_slowed_leads_and_the_others_whose_share_fell_are_noise()
    {
        // matmul doubles; attention keeps its cost although its share falls from 40% to 25%.
        var d = ProfileDelta.Compare(Profile(("matmul", 600), ("attention", 400)), Profile(("matmul", 1200), ("attention", 400)));
        var top = d.Functions[0];
        Assert.Equal("matmul", top.Symbol);
        Assert.Equal(0.6, top.CostChange, 9);
        Assert.Equal(600 / Math.Sqrt(1800), top.Z, 9);
        Assert.True(top.Clear);
        var attention = d.Functions[1];
        Assert.Equal((0.4, 0.25, 0.0), (attention.BaselineShare, attention.NewShare, attention.CostChange));
        Assert.False(attention.Clear);
        Assert.Equal(1.6, d.TotalRatio, 9);
    }

    [Fact]
    public void A_function_only_in_one_build_is_compared_with_nothing_and_a_small_change_is_noise()
    {
        var d = ProfileDelta.Compare(Profile(("a", 100), ("gone", 50)), Profile(("a", 110), ("added", 60)));
        Assert.Equal(["added", "gone", "a"], d.Functions.Select(f => f.Symbol));
        Assert.Equal((0L, 60L), (d.Functions[0].BaselineSamples, d.Functions[0].NewSamples));
        Assert.Equal(60 / 150d, d.Functions[0].CostChange, 9);
        Assert.True(d.Functions[0].Clear);
        Assert.False(d.Functions[2].Clear); // 100 -> 110: z = 0.69
    }

    [Fact]
    public void Executables_named_differently_are_matched_through_aliases()
    {
        var old = PerfReportParser.Parse(Fixtures.Text("perf/report-old.txt"), "old");
        var now = PerfReportParser.Parse(Fixtures.Text("perf/report-new.txt"), "new");
        var unaliased = ProfileDelta.Compare(old, now);
        Assert.Equal(2, unaliased.Functions.Count(f => f.Symbol == "vec_dot"));

        var d = ProfileDelta.Compare(old, now, new Dictionary<string, string> { ["old"] = "new" });
        var dot = Assert.Single(d.Functions, f => f.Symbol == "vec_dot");
        Assert.Same(dot, d.Functions[0]);
        Assert.Equal((34L, 70L), (dot.BaselineSamples, dot.NewSamples));
        Assert.Equal((70070070 - 34034034) / (double)old.TotalPeriod, dot.CostChange, 9);
        Assert.True(dot.Clear);
        Assert.False(Assert.Single(d.Functions, f => f.Symbol == "tokenize").Clear);
    }

    [Fact]
    public void A_real_llama_bench_built_without_llamafile_moves_matrix_multiplication_from_tinyblas_to_ggml_vec_dot()
    {
        var old = PerfReportParser.Parse(Fixtures.Text("perf/llama-bench-baseline.txt"), "baseline");
        var now = PerfReportParser.Parse(Fixtures.Text("perf/llama-bench-new.txt"), "new");
        var d = ProfileDelta.Compare(old, now);
        var top = d.Functions[0];
        Assert.Equal(("ggml_vec_dot_f32", "libggml-cpu.so.0", true), (top.Symbol, top.Module, top.Clear));
        Assert.True(top.CostChange > 0.3, top.ToString());
        var gemm = d.Functions[1];
        Assert.Equal("(anonymous namespace)::tinyBLAS<16, float __vector(16), float __vector(16), float, float, float>::gemm_bloc<4, 6>", gemm.Symbol);
        Assert.Equal((0L, true), (gemm.NewSamples, gemm.Clear));
        Assert.True(gemm.CostChange < -0.3, gemm.ToString());
        Assert.InRange(d.TotalRatio, 1.1, 1.5);
    }
}
