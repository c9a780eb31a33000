using System.Collections.Concurrent;
using BenchGate.Model;

namespace BenchGate.Ingest;

/// <summary>
/// Reads and normalises records on a worker thread while the caller writes them, so parsing and the
/// database each get a core (bench/RESULTS.md). Memory stays bounded: at most a few batches are in flight.
/// An error on either side stops both and surfaces once, on the caller's thread.
/// </summary>
internal static class RecordPipeline
{
    /// <summary>What a store that takes each record as it comes lets be read ahead (SQLite).</summary>
    internal const int DefaultRecordsInFlight = 512;

    private const int BatchSize = 128;

    /// <param name="source">The raw records, read on the worker thread.</param>
    /// <param name="recordsInFlight">
    /// How far reading may run ahead of the caller. Records in flight outlive a gen0 collection (the native tool's budget
    /// is 4 MB) and are copied by it: for SQLite, which takes each record as it comes, 4 × 128 (~1.5 MB) smooth the
    /// two threads' jitter as well as 8 × 512 did, with ~10 MB less to copy and hold.
    /// </param>
    public static IEnumerable<BenchmarkRecord> Normalised(IEnumerable<RawRecord> source, int recordsInFlight = DefaultRecordsInFlight)
    {
        using var queue = new BlockingCollection<List<BenchmarkRecord>>(Math.Max(1, recordsInFlight / BatchSize));
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                var batch = new List<BenchmarkRecord>(BatchSize);
                foreach (var raw in source)
                {
                    batch.Add(RecordNormalizer.Normalize(raw));
                    if (batch.Count == BatchSize)
                    {
                        queue.Add(batch, stop.Token);
                        batch = new List<BenchmarkRecord>(BatchSize);
                    }
                }

                if (batch.Count > 0)
                {
                    queue.Add(batch, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            foreach (var batch in queue.GetConsumingEnumerable())
            {
                foreach (var record in batch)
                {
                    yield return record;
                }
            }

            producer.Wait();
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            // The consumer stopped early (its own error): let the reader finish before its stream is closed.
            stop.Cancel();
            producer.Wait();
        }
    }
}
