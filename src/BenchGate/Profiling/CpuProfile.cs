namespace BenchGate.Profiling;

/// <summary>One function's share of a sampled profile (perf report's row for one module and symbol).</summary>
/// <param name="Module">The shared object or executable, by file name ([kernel.kallsyms] for the kernel).</param>
/// <param name="Symbol">The function, or its address when the module has no symbols.</param>
/// <param name="Samples">How many samples landed in it.</param>
/// <param name="Period">The event count those samples stand for (nanoseconds for cpu-clock, cycles for cycles).</param>
/// <param name="Resolved">Whether the symbol is a name rather than an address or [unknown].</param>
public sealed record FunctionSamples(string Module, string Symbol, long Samples, double Period, bool Resolved);

/// <summary>A sampled CPU profile of one build's llama-bench run: where its samples landed, function by function.</summary>
/// <param name="Event">The sampled event (cpu-clock where the machine has no hardware counters, cycles where it has).</param>
/// <param name="Functions">Every function that took a sample.</param>
public sealed record CpuProfile(string Event, IReadOnlyList<FunctionSamples> Functions)
{
    public long TotalSamples => Functions.Sum(f => f.Samples);

    public double TotalPeriod => Functions.Sum(f => f.Period);

    /// <summary>The share of samples whose function has a name: below one half, perf stat's counters say more.</summary>
    public double ResolvedShare => TotalSamples == 0 ? 0 : (double)Functions.Where(f => f.Resolved).Sum(f => f.Samples) / TotalSamples;

    /// <summary>Whether the event counts time (its period is nanoseconds), so that a cost can be given in seconds.</summary>
    public bool CountsTime => Event.StartsWith("cpu-clock", StringComparison.Ordinal) || Event.StartsWith("task-clock", StringComparison.Ordinal);
}

/// <summary>One counter of <c>perf stat</c>: its value, or null where the machine does not support it.</summary>
public sealed record CounterValue(string Name, double? Value, string Unit);
