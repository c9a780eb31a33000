using System.Globalization;
using BenchGate.Reports;
using BenchGate.Storage;
using Spectre.Console;

namespace BenchGate.Cli.Rendering;

/// <summary>The terminal form of <see cref="StoreSummary"/>.</summary>
internal static class SummaryTables
{
    public static void Write(IAnsiConsole console, StoreSummary s)
    {
        console.WriteLine($"{s.Location}: schema version {s.SchemaVersion}, {Words.Count(s.Rows, "row")} in {Words.Count(s.Runs.Count, "run")}, {Words.Count(s.Configurations.Count, "benchmark configuration")}");
        if (s.UnmanagedRows > 0)
        {
            console.WriteLine($"{s.UnmanagedRows} rows were written by llama-bench directly and are not adopted yet: run 'benchgate migrate -d {s.Location}'");
        }

        if (s.Runs.Count == 0)
        {
            return;
        }

        Section(console, "Commits", ["commit", "build", "runs", "rows", "first ingested", "last ingested"],
            s.Commits.Select(c => new[] { c.Commit, c.BuildNumber is null ? c.BuildCommit ?? "" : $"{c.BuildCommit} ({c.BuildNumber})", N(c.Runs), N(c.Rows), c.FirstIngested, c.LastIngested }));
        Section(console, "Machines", ["machine", "cpu", "gpu", "backends", "runs", "rows"],
            s.Machines.Select(m => new[] { m.Machine, m.CpuInfo, m.GpuInfo, m.Backends, N(m.Runs), N(m.Rows) }));
        Section(console, "Configurations", ["key", "model", "model type", "backends", "threads", "test", "runs", "rows", "samples"],
            s.Configurations.Select(c => new[] { c.KeyHash[..8], c.Model, c.ModelType, c.Backends, N(c.Threads), c.Test, N(c.Runs), N(c.Rows), c.HasSamples ? "yes" : "no" }));
        Section(console, "Runs", ["run", "commit", "branch", "machine", "source", "format", "ingested", "rows", "reps"],
            s.Runs.Select(r => new[] { r.RunId, r.Commit ?? "", r.Branch ?? "", r.Machine ?? "", r.Source, r.Format, r.IngestedAt, N(r.Rows), r.Repetitions is { } n ? N(n) : "?" }));
    }

    private static void Section(IAnsiConsole console, string title, string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table { Title = new TableTitle(title), Border = TableBorder.Rounded };
        foreach (var h in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(h)));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(cell => new Text(cell))]);
        }

        console.Write(table);
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
