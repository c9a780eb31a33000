using System.Globalization;
using BenchGate.Storage;
using Spectre.Console;

namespace BenchGate.Cli.Rendering;

/// <summary>'alerts list' as a table and 'alerts show' as lines.</summary>
internal static class AlertsView
{
    private static readonly string[] Headers = ["id", "status", "benchmark", "metric", "change", "baseline → current", "created"];

    public static Table Table(IEnumerable<Alert> alerts)
    {
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var h in Headers)
        {
            table.AddColumn(h);
        }

        foreach (var a in alerts)
        {
            table.AddRow([.. new[] { a.Id.ToString(CultureInfo.InvariantCulture), a.Status, a.Benchmark, a.Metric, Pct(a.ChangePercent), $"{a.BaselineCommit ?? "?"} → {a.CurrentCommit ?? "?"}", a.CreatedAt }.Select(c => new Text(c))]);
        }

        return table;
    }

    public static void Write(TextWriter o, Alert a, IReadOnlyList<AttachedProfile> profiles)
    {
        o.WriteLine($"alert {a.Id}: {a.Status}");
        o.WriteLine($"  benchmark: {a.Benchmark} ({a.KeyHash})");
        o.WriteLine($"  metric: {a.Metric}");
        o.WriteLine($"  commits: {a.BaselineCommit ?? "?"} → {a.CurrentCommit ?? "?"}");
        o.WriteLine($"  values: {Num(a.BaselineValue)} → {Num(a.CurrentValue)}");
        o.WriteLine($"  change: {Pct(a.ChangePercent)} (interval {Pct(a.CiLowPercent)} … {Pct(a.CiHighPercent)}; threshold {Pct(a.ThresholdPercent)}; q = {Num(a.PValue)})");
        o.WriteLine($"  created: {a.CreatedAt}{(a.UpdatedAt is null ? "" : $", updated {a.UpdatedAt}")}");
        if (a.Notes is not null)
        {
            o.WriteLine($"  notes: {a.Notes}");
        }

        foreach (var p in profiles)
        {
            o.WriteLine($"  profile {p.Id} ({p.CreatedAt}): {p.Summary}");
        }

        if (profiles.Count > 0)
        {
            o.WriteLine($"  (benchgate alerts show {a.Id} --profile prints the latest profile's report)");
        }
    }

    private static string Pct(double? x) => x is { } v ? v.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + "%" : "?";

    private static string Num(double? x) => x is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "?";
}
