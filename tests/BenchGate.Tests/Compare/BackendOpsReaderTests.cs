using BenchGate.BackendOps;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Compare;

public sealed class BackendOpsReaderTests
{
    [Fact]
    public void Sql_and_console_output_of_one_run_give_the_same_cases()
    {
        var sql = Read("test-backend-ops/perf_cpu.sql");
        var console = Read("test-backend-ops/perf_cpu.console");
        Assert.Equal(sql.Count, console.Count);
        Assert.Equal(sql.Select(r => r.Key).Order(), console.Select(r => r.Key).Order());
        var add = sql.First(r => r.Op == "ADD");
        Assert.Equal(("CPU", "type=f32,ne=[4096,1,1,1],nr=[1,1,1,1],nf=1,perm1=0,src_overlap=0", 50.899876, 1113840L), (add.Backend, add.Params, add.BandwidthGbS, add.Runs));
        Assert.True(add.Supported && add.Passed);
        // The console line of the same case, colour codes stripped: 62.07 GB/s, 1359540 runs.
        var consoleAdd = console.First(r => r.Key == add.Key);
        Assert.Equal((62.07, 1359540L, 0.74), (consoleAdd.BandwidthGbS, consoleAdd.Runs, consoleAdd.TimeUs));
    }

    [Fact]
    public void Mul_mat_rows_carry_flops_and_csv_without_timings_is_refused_with_the_reason()
    {
        var mulmat = Read("test-backend-ops/perf_cpu_mulmat.sql");
        Assert.All(mulmat, r => Assert.True(r.Flops > 1e9));
        var e = Assert.Throws<InputException>(() => Read("test-backend-ops/perf_cpu.csv"));
        Assert.Contains("perf_cpu.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("no timing columns", e.Message, StringComparison.Ordinal);
        var llama = Assert.Throws<InputException>(() => Read("llama-bench/formats/small_multi.sql"));
        Assert.Contains("not test-backend-ops output", llama.Message, StringComparison.Ordinal);
    }

    private static List<BackendOpResult> Read(string fixture)
    {
        using var content = Fixtures.Open(fixture);
        return BackendOpsReader.Read(content, Fixtures.Path(fixture));
    }
}
