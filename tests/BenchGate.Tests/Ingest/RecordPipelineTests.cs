using BenchGate.Ingest;
using BenchGate.Ingest.Readers;
using BenchGate.Tests.Shared;

namespace BenchGate.Tests.Ingest;

public sealed class RecordPipelineTests
{
    private static readonly byte[] Line = File.ReadAllBytes(Fixtures.Path("llama-bench/aa-cpu-small/aa.jsonl")).TakeWhile(b => b != (byte)'\n').ToArray();

    [Theory]
    [InlineData(512)]
    [InlineData(5000)]
    public void Reading_runs_ahead_of_a_waiting_writer_by_as_many_records_as_the_store_asks_for_and_no_further(int inFlight)
    {
        var read = 0;

        IEnumerable<RawRecord> Source()
        {
            for (var i = 1; i <= 20_000; i++)
            {
                Interlocked.Increment(ref read);
                yield return JsonObjectParser.Parse(Line, i);
            }
        }

        using var records = RecordPipeline.Normalised(Source(), inFlight).GetEnumerator();
        Assert.True(records.MoveNext());
        // The writer holds the first record: the reader fills what may be in flight (a generous wait, not a time budget)...
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref read) >= inFlight, TimeSpan.FromSeconds(60)), $"the reader stopped at {read} records");
        // ...and then waits for room: the queued batches, the batch the writer took and the one being filled, no more. The
        // pauses only let a reader that ignored the bound run past it; a busy machine can weaken this check, never fail it.
        SpinWait.SpinUntil(() =>
        {
            var before = Volatile.Read(ref read);
            Thread.Sleep(100);
            return Volatile.Read(ref read) == before;
        }, TimeSpan.FromSeconds(10));
        Assert.InRange(Volatile.Read(ref read), inFlight, inFlight + (2 * 128));
        Assert.Equal(1, records.Current.SourceLine);
        var all = 1;
        while (records.MoveNext())
        {
            all++;
        }

        Assert.Equal(20_000, all);
    }
}
