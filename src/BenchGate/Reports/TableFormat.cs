namespace BenchGate.Reports;

/// <summary>The table formats compare writes; the names are tabulate's, as compare-llama-bench.py's -o takes them.</summary>
public enum TableFormat
{
    /// <summary>tabulate's "pipe" (markdown with alignment colons), the script's default; "markdown" is the same.</summary>
    Pipe,

    /// <summary>tabulate's "github": markdown without alignment colons.</summary>
    Github,

    /// <summary>Comma-separated, RFC 4180 quoting.</summary>
    Csv,

    /// <summary>tabulate's "plain": aligned columns, no rules.</summary>
    Plain,
}
