using System.Text;
using BenchGate.Compare;

namespace BenchGate.Reports;

/// <summary>
/// Renders a <see cref="ResultTable"/> as tabulate does for compare-llama-bench.py, so that a table is the same
/// text whichever tool made it: each column as wide as its widest cell or its header plus two, numbers and
/// their headers right-aligned, text left-aligned.
/// </summary>
public static class TableRenderer
{
    // A table is handed to the writer in pieces of about this many characters: compare's 20,000-row table was a
    // 2.4-million-character string, and the builder's chunks before it, at the moment compare's memory peaked.
    private const int FlushChars = 32 * 1024;

    public static string Render(ResultTable table, TableFormat format)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Write(table, format, text);
        return text.ToString();
    }

    /// <summary>Writes the table as <see cref="Render"/> gives it, a few lines at a time.</summary>
    public static void Write(ResultTable table, TableFormat format, TextWriter writer)
    {
        if (format == TableFormat.Csv)
        {
            writer.Write(Csv(table));
            return;
        }

        var widths = table.Columns.Select((c, i) => Math.Max(c.Header.Length + 2, table.Rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var sb = new StringBuilder();
        Line(sb, table.Columns.Select(c => c.Header).ToList(), table, widths, format);
        if (format != TableFormat.Plain)
        {
            sb.Append('|');
            for (var i = 0; i < widths.Length; i++)
            {
                sb.Append(format == TableFormat.Github ? new string('-', widths[i] + 2)
                    : table.Columns[i].Numeric ? new string('-', widths[i] + 1) + ":" : ":" + new string('-', widths[i] + 1));
                sb.Append('|');
            }

            sb.Append('\n');
        }

        foreach (var row in table.Rows)
        {
            Line(sb, row, table, widths, format);
            if (sb.Length >= FlushChars)
            {
                writer.Write(sb);
                sb.Clear();
            }
        }

        writer.Write(sb);
    }

    // Cells are padded into the table's text as they are appended: padded copies, then the joined line, then the line
    // inside its bars were three strings a cell or line (~38 MB for compare's 20,000-row table).
    private static void Line(StringBuilder sb, IReadOnlyList<string> cells, ResultTable table, int[] widths, TableFormat format)
    {
        var start = sb.Length;
        var plain = format == TableFormat.Plain;
        if (!plain)
        {
            sb.Append("| ");
        }

        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(plain ? "  " : " | ");
            }

            var (cell, pad) = (cells[i], Math.Max(0, widths[i] - cells[i].Length));
            if (table.Columns[i].Numeric)
            {
                sb.Append(' ', pad).Append(cell);
            }
            else
            {
                sb.Append(cell).Append(' ', pad);
            }
        }

        if (plain)
        {
            var end = sb.Length;
            while (end > start && char.IsWhiteSpace(sb[end - 1]))
            {
                end--;
            }

            sb.Length = end;
        }
        else
        {
            sb.Append(" |");
        }

        sb.Append('\n');
    }

    private static string Csv(ResultTable table)
    {
        var sb = new StringBuilder();
        foreach (var cells in table.Rows.Prepend([.. table.Columns.Select(c => c.Header)]))
        {
            sb.AppendJoin(',', cells.Select(Quote)).Append('\n');
        }

        return sb.ToString();
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
