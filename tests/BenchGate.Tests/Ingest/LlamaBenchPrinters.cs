using System.Globalization;
using System.Text;
using BenchGate.Model;

namespace BenchGate.Tests.Ingest;

/// <summary>
/// Writes a record the way llama-bench's printers do (tools/llama-bench/llama-bench.cpp at 3f545becc):
/// every value rendered as text first (floats with %f), then wrapped per format. Used by the round-trip properties.
/// </summary>
internal static class LlamaBenchPrinters
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Text(FieldValue v) => v.Kind switch
    {
        ValueKind.Real => v.Real.ToString("F6", Inv),
        ValueKind.Boolean => v.Integer.ToString(Inv),
        _ => v.ToString(),
    };

    public static string JsonObject(IReadOnlyList<(LlamaBenchField Field, FieldValue Value)> row, long[] samplesNs, double[] samplesTs, bool pretty)
    {
        var parts = row.Select(p => $"\"{p.Field.Name}\": {JsonValue(p.Field, p.Value)}").ToList();
        var ns = "[ " + string.Join(", ", samplesNs.Select(x => x.ToString(Inv))) + " ]";
        var ts = "[ " + string.Join(", ", samplesTs.Select(x => x.ToString("G6", Inv))) + " ]";
        return pretty
            ? "  {\n" + string.Join(",\n", parts.Select(p => "    " + p)) + $",\n    \"samples_ns\": {ns},\n    \"samples_ts\": {ts}\n  }}"
            : "{" + string.Join(", ", parts) + $", \"samples_ns\": {ns},\"samples_ts\": {ts}}}";
    }

    private static string JsonValue(LlamaBenchField field, FieldValue v) => field.Type switch
    {
        FieldType.Text => "\"" + v.Text!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        FieldType.Boolean => v.Integer != 0 ? "true" : "false",
        _ => Text(v),
    };

    public static string Csv(IReadOnlyList<(LlamaBenchField Field, FieldValue Value)> row) =>
        string.Join(",", row.Select(p => p.Field.Name)) + "\n"
        + string.Join(",", row.Select(p => "\"" + Text(p.Value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"")) + "\n";

    public static string Sql(IReadOnlyList<(LlamaBenchField Field, FieldValue Value)> row)
    {
        var sb = new StringBuilder("CREATE TABLE IF NOT EXISTS llama_bench (\n");
        sb.Append(string.Join(",\n", row.Select(p => $"  {p.Field.Name} {p.Field.SqlType}"))).Append("\n);\n\n");
        sb.Append("INSERT INTO llama_bench (").Append(string.Join(", ", row.Select(p => p.Field.Name))).Append(") VALUES (")
            .Append(string.Join(", ", row.Select(p => "'" + Text(p.Value) + "'"))).Append(");\n");
        return sb.ToString();
    }

    public static string Markdown(BenchmarkRecord r)
    {
        var size = r.Get("model_size").Integer / 1024.0 / 1024.0;
        var parameters = r.Get("model_n_params").Integer / 1e6;
        var test = TestLabel.Format(r.NPrompt, r.NGen, 0) + (r.NDepth > 0 ? $" @ d{r.NDepth}" : "");
        return "| model | size | params | backend | threads | test | t/s |\n"
            + "| --- | ---: | ---: | --- | ---: | ---: | ---: |\n"
            + string.Create(Inv, $"| {r.Get("model_type").Text} | {size:F2} MiB | {parameters:F2} M | {r.Get("backends").Text} | {r.Get("n_threads").Integer} | {test} | {r.AvgTs:F2} ± {r.StddevTs:F2} |\n")
            + $"\nbuild: {r.BuildCommit} ({r.Get("build_number").Integer})\n";
    }
}
