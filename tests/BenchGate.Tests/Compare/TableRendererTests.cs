using BenchGate.Compare;
using BenchGate.Reports;

namespace BenchGate.Tests.Compare;

public sealed class TableRendererTests
{
    private static readonly ResultTable Table = new(
        [new("File", false), new("Threads", true), new("Test", false), new("t/s a", true), new("Speedup", true)],
        [["tiny, \"quoted\".gguf", "2", "pp64", "7205.18", "0.99"], ["x.gguf", "16", "tg128", "859.06", "1.05"]]);

    [Fact]
    public void Pipe_is_tabulate_pipe_widths_alignment_and_colons()
    {
        Assert.Equal("""
            | File                |   Threads | Test   |   t/s a |   Speedup |
            |:--------------------|----------:|:-------|--------:|----------:|
            | tiny, "quoted".gguf |         2 | pp64   | 7205.18 |      0.99 |
            | x.gguf              |        16 | tg128  |  859.06 |      1.05 |

            """.ReplaceLineEndings("\n"), TableRenderer.Render(Table, TableFormat.Pipe));
    }

    [Fact]
    public void Github_plain_and_csv()
    {
        Assert.StartsWith("| File                |   Threads |", TableRenderer.Render(Table, TableFormat.Github), StringComparison.Ordinal);
        Assert.Contains("|---------------------|-----------|--------|---------|-----------|", TableRenderer.Render(Table, TableFormat.Github), StringComparison.Ordinal);
        Assert.Equal("x.gguf                      16  tg128    859.06       1.05", TableRenderer.Render(Table, TableFormat.Plain).Split('\n')[2]);
        Assert.Equal("\"tiny, \"\"quoted\"\".gguf\",2,pp64,7205.18,0.99", TableRenderer.Render(Table, TableFormat.Csv).Split('\n')[1]);
    }

    [Fact]
    public void Plain_trims_each_line_where_its_last_column_is_text_and_keeps_an_empty_cell_in_between()
    {
        var table = new ResultTable([new("t/s", true), new("Note", false), new("Verdict", false)],
            [["7205.18", "", "Stable"], ["859.06", "slow one", "Regression"], ["1.00", "x", ""]]);

        Assert.Equal(
            "    t/s  Note      Verdict\n7205.18            Stable\n 859.06  slow one  Regression\n   1.00  x\n",
            TableRenderer.Render(table, TableFormat.Plain));
    }

    [Theory]
    [InlineData(TableFormat.Pipe)]
    [InlineData(TableFormat.Plain)]
    [InlineData(TableFormat.Csv)]
    public void A_table_written_in_pieces_is_the_rendered_text_and_reaches_the_writer_in_pieces(TableFormat format)
    {
        // 3,000 rows of ~60 characters: past the size at which the renderer hands its text on (32 K characters).
        var rows = Enumerable.Range(0, 3000).Select(i => (IReadOnlyList<string>)[$"model-{i % 7}.gguf", $"{i}", i % 5 == 0 ? "" : "pp512", $"{i * 1.5:F2}"]).ToList();
        var table = new ResultTable([new("File", false), new("Row", true), new("Test", false), new("t/s", true)], rows);
        var writer = new CountingWriter();

        TableRenderer.Write(table, format, writer);

        Assert.Equal(TableRenderer.Render(table, format), writer.ToString());
        Assert.Equal(3001 + (format == TableFormat.Pipe ? 1 : 0), writer.ToString().Count(c => c == '\n'));
        Assert.True(format == TableFormat.Csv ? writer.Writes >= 1 : writer.Writes > 2, $"{writer.Writes} writes");
    }

    private sealed class CountingWriter : StringWriter
    {
        public CountingWriter()
            : base(System.Globalization.CultureInfo.InvariantCulture)
        {
        }

        public int Writes { get; private set; }

        public override void Write(System.Text.StringBuilder? value)
        {
            Writes++;
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Writes++;
            base.Write(value);
        }
    }
}
