using BenchGate.Profiling;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Profiling;

/// <summary>perf report and perf stat output as perf 6.1 prints it (tests/fixtures/perf, recorded from real runs).</summary>
public sealed class PerfParserTests
{
    [Fact]
    public void A_report_gives_each_function_its_samples_period_module_and_the_event()
    {
        var p = PerfReportParser.Parse(Fixtures.Text("perf/report-new.txt"), "report-new.txt");
        Assert.Equal("cpu-clock", p.Event);
        Assert.True(p.CountsTime);
        Assert.Equal(["vec_dot", "tokenize", "_dl_allocate_tls_storage"], p.Functions.Select(f => f.Symbol));
        var dot = p.Functions[0];
        Assert.Equal(("new", 70L, 70070070d, true), (dot.Module, dot.Samples, dot.Period, dot.Resolved));
        Assert.Equal("ld-linux-x86-64.so.2", p.Functions[2].Module);
        Assert.Equal(83, p.TotalSamples);
        Assert.Equal(1.0, p.ResolvedShare);
    }

    [Fact]
    public void Kernel_functions_are_marked_and_a_stripped_build_has_addresses_not_names()
    {
        var old = PerfReportParser.Parse(Fixtures.Text("perf/report-old.txt"), "old");
        Assert.Contains(old.Functions, f => f is { Symbol: "pvm_irq_enable [kernel]", Module: "[kernel.kallsyms]", Resolved: true });

        var stripped = PerfReportParser.Parse(Fixtures.Text("perf/report-stripped.txt"), "stripped");
        Assert.Equal("0x0000000000001199", stripped.Functions[0].Symbol);
        Assert.False(stripped.Functions[0].Resolved);
        // Only libc's and the kernel's functions have names: 2 of 103 samples.
        Assert.Equal(2.0 / 103, stripped.ResolvedShare, 6);
    }

    [Fact]
    public void A_symbol_with_spaces_commas_and_pipes_stays_whole()
    {
        const char s = PerfReportParser.Separator;
        var text = $"# Samples: 10  of event 'cycles:P'\n 60.00% {s} 6 {s} 600 {s}/opt/llama/lib/libggml-cpu.so.0.22.1{s}[.] void ggml_compute<float, 2>(ggml_tensor const*, int) | x\n 40.00% {s} 4 {s} 400 {s}libc.so.6{s}[.] [unknown]\n";
        var p = PerfReportParser.Parse(text, "t");
        Assert.Equal("cycles", p.Event);
        Assert.False(p.CountsTime);
        Assert.Equal("void ggml_compute<float, 2>(ggml_tensor const*, int) | x", p.Functions[0].Symbol);
        // Two versions' libraries are one module.
        Assert.Equal("libggml-cpu.so.0", p.Functions[0].Module);
        Assert.False(p.Functions[1].Resolved);
    }

    [Theory]
    [InlineData("# Samples: 1  of event 'cpu-clock'\n 50% | 1 | 2 | a | b\n", "line 2 is not a perf report row")]
    [InlineData("Error:\nThe perf.data data has no samples!\n", "line 1 is not a perf report row")]
    [InlineData("", "no samples and no event header")]
    public void Text_that_is_not_a_report_is_refused_with_its_line(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => PerfReportParser.Parse(text, "x.perf.data"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("x.perf.data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stat_counters_are_read_and_unsupported_ones_are_null()
    {
        var c = PerfStatParser.Parse(Fixtures.Text("perf/stat.txt"), "stat.txt");
        Assert.Equal(PerfStatParser.Events, c.Select(x => x.Name));
        Assert.Equal(("msec", 81.19), (c[0].Unit, c[0].Value!.Value));
        Assert.Equal(60, c[3].Value);
        Assert.All(c.Skip(4), x => Assert.Null(x.Value));
    }

    [Theory]
    [InlineData("12;msec\n", "line 1 is not a perf stat")]
    [InlineData("abc;;cycles;0;100.00;;\n", "'abc' is not a counter value")]
    [InlineData("# started on Wed\n\n", "no counters")]
    public void Text_that_is_not_stat_output_is_refused(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => PerfStatParser.Parse(text, "stat.txt"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
