using BenchGate.Ingest;
using BenchGate.Model;

namespace BenchGate.Detection;

/// <summary>Reads the runs of a BenchGate database directly (their keys, ids and samples are stored).</summary>
public interface IStoredRunsReader
{
    /// <summary>The side, or null when the file is not a BenchGate database whose rows are all adopted.</summary>
    ComparisonSide? TryRead(string path, string? commit);
}

/// <summary>
/// Reads one side of a comparison from any input ingest reads (a database, sql, json, jsonl, csv, md),
/// split into its runs, optionally only the runs of one commit (by build_commit prefix, as llama-bench's
/// short hashes vary in length).
/// </summary>
public static class SideLoader
{
    public static ComparisonSide Load(string path, IDatabaseFileReader databaseReader, string? commit, IStoredRunsReader? stored = null)
    {
        if (stored is not null && File.Exists(path) && stored.TryRead(path, commit) is { } side)
        {
            return side;
        }

        var name = Path.GetFileName(path);
        var all = ComparisonSide.FromRecords(name, Records(path, databaseReader), name).Runs;
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
            var present = string.Join(", ", all.Select(r => r.Commit ?? "?").Distinct());
            throw new InputException($"no runs of commit '{commit}' (it holds: {present})", input: path);
        }

        return new ComparisonSide($"{commit} ({name})", chosen);
    }

    /// <summary>Every record of an input ingest reads (a database, or json, jsonl, csv, md or sql text), normalised, in order.</summary>
    public static List<BenchmarkRecord> Records(string path, IDatabaseFileReader databaseReader)
    {
        if (!File.Exists(path))
        {
            throw new InputException("no such file", input: path);
        }

        try
        {
            using var probe = File.OpenRead(path);
            var head = new byte[FormatDetector.PrefixLength];
            var n = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var format = FormatDetector.Detect(head.AsSpan(0, n));
            probe.Position = 0;
            var raws = format == InputFormat.Sqlite ? databaseReader.Read(path) : TextFormatReaders.Open(format, probe);
            return [.. raws.Select(RecordNormalizer.Normalize)];
        }
        catch (InputException e)
        {
            throw e.WithInput(path);
        }
    }
}
