using System.Globalization;
using System.Text;
using BenchGate.Compare;

namespace BenchGate.Reports;

/// <summary>compare's <c>--matrix</c>: tests × models or backends, each cell a speedup with its interval and verdict.</summary>
public static class CompareMatrixReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static ResultTable Table(CompareMatrix m)
    {
        var columns = new List<TableColumn> { new("Test", false) };
        columns.AddRange(m.Columns.Select(c => new TableColumn(c, false)));
        var rows = m.Rows.Select(r => (IReadOnlyList<string>)[r.Label, .. r.Cells.Select(Cell)]).ToList();
        rows.Add([$"geometric mean ({m.Level} CI)", .. m.Summaries.Select(Summary)]);
        return new ResultTable(columns, rows);
    }

    /// <summary>Each model's and each backend's geometric mean over all its benchmarks (<see cref="CompareMatrix.Groups"/>); null when there are none.</summary>
    public static ResultTable? GroupTable(CompareMatrix m)
    {
        if (m.Groups.Count == 0)
        {
            return null;
        }

        var rows = m.Groups.Select(g => (IReadOnlyList<string>)[g.Axis == MatrixAxis.Model ? "model" : "backend", g.Name, Summary(g.Summary)]).ToList();
        return new ResultTable([new("Across", false), new("Name", false), new($"Geometric mean ({m.Level} CI)", false)], rows);
    }

    /// <summary>The matrix as a markdown section (for --ci-mode and the PR comment): heading, table, how to read it.</summary>
    public static string Markdown(CompareMatrix m)
    {
        var sb = new StringBuilder();
        sb.Append("### Speedup across ").Append(m.Axis switch { MatrixAxis.Model => "models", MatrixAxis.Backend => "backends", _ => "models and backends" }).Append("\n\n");
        sb.Append(TableRenderer.Render(Table(m), TableFormat.Pipe)).Append('\n');
        sb.Append(Inv, $"Each cell: detect's estimate of compared / baseline t/s with its {m.Level} interval and verdict. Last row: each column's ")
            .Append("geometric mean, with a t interval of the mean log speedup from the spread between its benchmarks (their own noise left out), ")
            .Append("and in parentheses how many benchmarks it has.\n");
        if (GroupTable(m) is { } groups)
        {
            sb.Append("\nEvery benchmark of a model (over its backends) and of a backend (over its models), summarised the same way:\n\n")
                .Append(TableRenderer.Render(groups, TableFormat.Pipe));
        }

        return sb.ToString();
    }

    private static string Cell(MatrixCell? c) => c is null ? "" : string.Create(Inv,
        $"{Ratio(c.Speedup)}{(c.Low is { } low && c.High is { } high ? $" [{Ratio(low)}, {Ratio(high)}]" : "")}{(c.Verdict is { } v ? $" {v}" : "")}");

    private static string Summary(MatrixSummary s) => s.Benchmarks == 0 ? "" : string.Create(Inv,
        $"{Ratio(s.GeometricMean)}{(s.Low is { } low && s.High is { } high ? $" [{Ratio(low)}, {Ratio(high)}]" : "")} ({s.Benchmarks})");

    private static string Ratio(double x) => double.IsFinite(x) ? x.ToString("F2", Inv) : "nan";
}
