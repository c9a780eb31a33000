namespace BenchGate.Compare;

/// <summary>A column of a compare table; numeric columns are right-aligned, as tabulate aligns them.</summary>
public sealed record TableColumn(string Header, bool Numeric);

/// <summary>A rendered-ready table: formatted cells, one list per row, in column order.</summary>
public sealed record ResultTable(IReadOnlyList<TableColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);
