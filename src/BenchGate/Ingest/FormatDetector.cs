using System.Text;

namespace BenchGate.Ingest;

/// <summary>Tells the format of llama-bench output from its first bytes.</summary>
public static class FormatDetector
{
    private static readonly byte[] SqliteMagic = "SQLite format 3\0"u8.ToArray();

    /// <summary>How many leading bytes <see cref="Detect"/> wants to see.</summary>
    public const int PrefixLength = 4096;

    /// <summary>The first 16 bytes of every SQLite database file.</summary>
    public static ReadOnlySpan<byte> SqliteHeader => SqliteMagic;

    public static bool IsSqlite(ReadOnlySpan<byte> prefix) => prefix.StartsWith(SqliteMagic);

    public static InputFormat Detect(ReadOnlySpan<byte> prefix)
    {
        if (IsSqlite(prefix))
        {
            return InputFormat.Sqlite;
        }

        if (prefix.StartsWith("\uFEFF"u8))
        {
            prefix = prefix[3..];
        }

        var text = Encoding.UTF8.GetString(prefix).TrimStart();
        if (text.Length == 0)
        {
            throw new InputException("the input is empty: llama-bench wrote nothing (a run that fails before its first test writes no jsonl; look at its stderr)");
        }

        var firstLine = text.Split('\n', 2)[0].TrimEnd('\r');
        return text[0] switch
        {
            '[' => InputFormat.Json,
            '{' => InputFormat.Jsonl,
            '|' => InputFormat.Md,
            _ when StartsWithAny(text, "CREATE TABLE", "INSERT INTO", "BEGIN", "PRAGMA") => InputFormat.Sql,
            _ when firstLine.Contains(',', StringComparison.Ordinal) && (firstLine.Contains("build_commit", StringComparison.Ordinal) || firstLine.Contains("avg_ts", StringComparison.Ordinal) || firstLine.Contains("op_name", StringComparison.Ordinal)) => InputFormat.Csv,
            _ => throw new InputException(
                $"unknown format: the input starts with \"{Printable(firstLine)}\", which is none of llama-bench's outputs (sqlite, sql, json, jsonl, csv, md); give --format if it is one of them"),
        };
    }

    private static bool StartsWithAny(string text, params string[] prefixes) =>
        prefixes.Any(p => text.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static string Printable(string s)
    {
        var shown = s.Length > 40 ? s[..40] + "…" : s;
        return new string([.. shown.Select(c => char.IsControl(c) ? '?' : c)]);
    }
}
