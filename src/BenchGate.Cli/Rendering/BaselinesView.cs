using System.Globalization;
using BenchGate.Storage;
using Spectre.Console;

namespace BenchGate.Cli.Rendering;

/// <summary>'baseline list' as a table and 'baseline show' as lines.</summary>
internal static class BaselinesView
{
    private static readonly string[] Headers = ["name", "commit", "created", "branch", "machine", "active", "runs", "rows"];

    public static Table Table(IEnumerable<BaselineInfo> baselines)
    {
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var h in Headers)
        {
            table.AddColumn(h);
        }

        foreach (var b in baselines)
        {
            table.AddRow([.. new[] { b.Name, b.CommitSha ?? "?", b.CreatedAt, b.Branch ?? "", b.Machine ?? "", b.IsActive ? "yes" : "no", N(b.RunIds.Count), N(b.Rows) }.Select(c => new Text(c))]);
        }

        return table;
    }

    public static void Write(TextWriter o, BaselineInfo b)
    {
        o.WriteLine($"baseline '{b.Name}'{(b.IsActive ? " (active)" : "")}");
        o.WriteLine($"  commit: {b.CommitSha ?? "?"}");
        o.WriteLine($"  created: {b.CreatedAt}");
        o.WriteLine($"  branch: {b.Branch ?? "-"}, machine: {b.Machine ?? "-"}");
        if (b.Description is not null)
        {
            o.WriteLine($"  description: {b.Description}");
        }

        o.WriteLine($"  runs ({b.RunIds.Count}, {b.Rows} rows): {string.Join(", ", b.RunIds)}");
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
