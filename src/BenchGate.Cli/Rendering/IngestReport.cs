using BenchGate.Ingest;
using BenchGate.Reports;

namespace BenchGate.Cli.Rendering;

/// <summary>What ingest tells the user: one block per input, then a total. Plain lines, so CI logs stay parseable.</summary>
internal static class IngestReport
{
    public static void Write(CliContext context, string database, IReadOnlyList<IngestOutcome> outcomes)
    {
        var o = context.Out;
        foreach (var r in outcomes)
        {
            if (r.Skipped)
            {
                o.WriteLine($"skipped {r.Source}: {r.SkippedBecause}");
                continue;
            }

            if (r.RunIds.Count == 0)
            {
                // test-backend-ops results have no llama-bench runs.
                o.WriteLine($"ingested {r.Source}: {r.Rows} rows, {r.Keys} cases");
                foreach (var note in r.Notes)
                {
                    o.WriteLine($"  note: {note}");
                }

                continue;
            }

            var runs = r.RunIds.Count == 1 ? $"1 run ({r.RunIds[0]})" : $"{r.RunIds.Count} runs ({r.RunIds[0]} … {r.RunIds[^1]})";
            o.WriteLine($"ingested {r.Source} ({Ingestor.FormatName(r.Format)}): {Words.Count(r.Rows, "row")} in {runs}, {Words.Count(r.Keys, "benchmark key")}, samples in {Words.Count(r.RowsWithSamples, "row")}");
            if (r.MissingFields.Count > 0)
            {
                o.WriteLine($"  not in this input (stored as NULL): {string.Join(", ", r.MissingFields)}");
            }

            if (r.ExtraFields.Count > 0)
            {
                o.WriteLine($"  kept fields of other llama-bench versions: {string.Join(", ", r.ExtraFields)}");
            }

            foreach (var note in r.Notes)
            {
                o.WriteLine($"  note: {note}");
            }
        }

        var stored = outcomes.Where(r => !r.Skipped).ToList();
        o.WriteLine($"stored {Words.Count(stored.Sum(r => r.Rows), "row")} in {Words.Count(stored.Sum(r => r.RunIds.Count), "run")} into {database}");
    }
}
