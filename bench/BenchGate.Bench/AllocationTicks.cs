using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace BenchGate.Bench;

/// <summary>
/// Which types a phase allocates, from the runtime's allocation ticks (one event per ~100 KB allocated, naming the
/// type that crossed the mark): a sample, so read the top of the list, not the tail. Enabled with BENCH_ALLOC=1.
/// </summary>
internal sealed class AllocationTicks : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public static AllocationTicks? StartIfAsked() =>
        Environment.GetEnvironmentVariable("BENCH_ALLOC") == "1" ? new AllocationTicks() : null;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "GCAllocationTick_V4" || e.Payload is null || e.PayloadNames is null)
        {
            return;
        }

        var type = e.Payload[e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
    }

    /// <summary>Prints the types that allocated most since the last call and starts counting again.</summary>
    public void Print(string phase, int top = 12)
    {
        var snapshot = _bytes.ToArray();
        _bytes.Clear();
        Console.WriteLine($"  {phase}:");
        foreach (var (type, bytes) in snapshot.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {bytes / 1e6,7:F1} MB {type}"));
        }
    }
}
