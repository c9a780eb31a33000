using BenchGate.Ingest;
using BenchGate.Model;

namespace BenchGate.Detection;

/// <summary>
/// Reads one side of a comparison from any input ingest reads (a database, sql, json, jsonl, csv, md),
/// split into its runs, optionally only the runs of one commit (by build_commit prefix, as llama-bench's
/// short hashes vary in length). The caller opens the input: a file, a pipe, a test's bytes.
/// </summary>
public static class SideLoader
{
    /// <param name="path">The input's name as the user gave it (a SQLite database is read by it, through <paramref name="databaseReader"/>).</param>
    /// <param name="content">The input's bytes (disposed by the caller).</param>
    /// <param name="databaseReader">Reads a SQLite database's rows.</param>
    /// <param name="commit">Only the runs of this commit, when given.</param>
    /// <param name="compact">
    /// Keep only what compare reads of each record (its key, measurements, build and test_time): compare holds every row
    /// of its inputs, and a whole record is ~0.8 KB. Not for records that are stored again.
    /// </param>
    public static ComparisonSide Load(string path, Stream content, IDatabaseFileReader databaseReader, string? commit, bool compact = false)
    {
        var name = Path.GetFileName(path);
        var all = ComparisonSide.FromRecords(name, Records(path, content, databaseReader, compact ? FieldLayout.Compare : null), name).Runs;
        if (all.Count == 0)
        {
            throw new InputException("holds no benchmark record", input: path);
        }

        if (commit is null)
        {
            return new ComparisonSide(name, all);
        }

        var chosen = all.Where(r => r.Commit is { } c && (c.StartsWith(commit, StringComparison.OrdinalIgnoreCase) || commit.StartsWith(c, StringComparison.OrdinalIgnoreCase))).ToList();
        if (chosen.Count == 0)
        {
            throw new InputException(HeldCommits.NoRunsOf(commit, [.. all.Select(r => r.Commit ?? "?").Distinct()]), input: path);
        }

        return new ComparisonSide($"{commit} ({name})", chosen);
    }

    /// <summary>Every record of an input ingest reads (a database, or json, jsonl, csv, md or sql text), normalised, in order.</summary>
    public static List<BenchmarkRecord> Records(string path, Stream content, IDatabaseFileReader databaseReader) => Records(path, content, databaseReader, null);

    private static List<BenchmarkRecord> Records(string path, Stream content, IDatabaseFileReader databaseReader, FieldLayout? layout)
    {
        try
        {
            var head = new byte[FormatDetector.PrefixLength];
            var n = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var format = FormatDetector.Detect(head.AsSpan(0, n));
            var text = new PrefixedStream(head[..n], content);
            var raws = format == InputFormat.Sqlite ? databaseReader.Read(path) : TextFormatReaders.Open(format, text);
            return layout is null ? [.. raws.Select(RecordNormalizer.Normalize)] : [.. raws.Select(r => RecordNormalizer.Normalize(r, layout))];
        }
        catch (InputException e)
        {
            throw e.WithInput(path);
        }
    }
}
