using System.Text.Json;
using BenchGate.Compare;

namespace BenchGate.Reports;

/// <summary>compare's <c>--json-output</c>; its schema is docs/compare-report.schema.json.</summary>
public static class CompareJson
{
    public const string SchemaId = "https://benchgate.dev/schemas/compare-report-v1.json";

    /// <param name="r">The comparison.</param>
    /// <param name="output">Where the JSON goes.</param>
    /// <param name="matrix">compare --matrix's view of the same rows, written as "matrix" when given.</param>
    public static void Write(CompareResult r, Stream output, CompareMatrix? matrix = null)
    {
        using var w = JsonReportWriter.Create(output);
        w.WriteStartObject();
        w.WriteString("schema", SchemaId);
        w.WriteString("tool", r.Tool);
        w.WriteString("baseline", r.BaselineName);
        w.WriteString("compare", r.CompareName);
        w.WriteString("unit", r.Unit);
        w.WriteNumber("threshold_percent", r.ThresholdPercent);
        w.WriteNumber("alpha", r.Alpha);
        w.WriteString("confidence_level", r.Level);
        w.WriteStartObject("summary");
        w.WriteNumber("rows", r.Rows.Count);
        foreach (var v in Enum.GetValues<Detection.Verdict>())
        {
            w.WriteNumber(v.ToString().ToLowerInvariant(), r.Rows.Count(x => x.Verdict?.Verdict == v));
        }

        w.WriteEndObject();
        w.WriteStartArray("columns");
        foreach (var c in r.ShownColumns)
        {
            w.WriteStringValue(c);
        }

        w.WriteEndArray();
        w.WriteStartArray("rows");
        foreach (var row in r.Rows)
        {
            w.WriteStartObject();
            w.WriteStartObject("values");
            for (var i = 0; i < r.ShownColumns.Count; i++)
            {
                w.WriteString(r.ShownColumns[i], row.Shown[i]);
            }

            w.WriteEndObject();
            if (row.Test is not null)
            {
                w.WriteString("test", row.Test);
            }

            Number(w, "baseline", row.Baseline);
            Number(w, "current", row.Current);
            Number(w, "speedup", row.Speedup);
            if (row.Verdict is { } v)
            {
                w.WriteString("verdict", v.Verdict.ToString().ToLowerInvariant());
                Number(w, "change_percent", v.Estimate.ChangePercent);
                Number(w, "ci_low_percent", v.Estimate.CiLowPercent);
                Number(w, "ci_high_percent", v.Estimate.CiHighPercent);
                Number(w, "q_value", v.QValue);
                Number(w, "min_detectable_percent", v.Estimate.MinimumDetectablePercent);
                w.WriteNumber("baseline_runs", v.Estimate.BaselineRuns);
                w.WriteNumber("current_runs", v.Estimate.CurrentRuns);
            }
            else
            {
                w.WriteNull("verdict");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("notes");
        foreach (var n in r.Notes)
        {
            w.WriteStringValue(n);
        }

        w.WriteEndArray();
        if (matrix is not null)
        {
            WriteMatrix(w, matrix);
        }

        w.WriteEndObject();
    }

    /// <summary>A column's or a group's geometric mean: the same fields for both.</summary>
    private static void WriteSummary(Utf8JsonWriter w, MatrixSummary s)
    {
        w.WriteNumber("benchmarks", s.Benchmarks);
        Number(w, "geometric_mean_speedup", s.Benchmarks == 0 ? null : s.GeometricMean);
        Number(w, "ci_low_speedup", s.Low);
        Number(w, "ci_high_speedup", s.High);
    }

    private static void WriteMatrix(Utf8JsonWriter w, CompareMatrix m)
    {
        w.WriteStartObject("matrix");
        w.WriteString("across", m.Axis switch { MatrixAxis.Model => "model", MatrixAxis.Backend => "backend", _ => "model,backend" });
        w.WriteStartArray("columns");
        for (var c = 0; c < m.Columns.Count; c++)
        {
            w.WriteStartObject();
            w.WriteString("name", m.Columns[c]);
            WriteSummary(w, m.Summaries[c]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("groups");
        foreach (var g in m.Groups)
        {
            w.WriteStartObject();
            w.WriteString("across", g.Axis == MatrixAxis.Model ? "model" : "backend");
            w.WriteString("name", g.Name);
            WriteSummary(w, g.Summary);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("rows");
        foreach (var row in m.Rows)
        {
            w.WriteStartObject();
            w.WriteString("test", row.Label);
            w.WriteStartArray("cells");
            foreach (var cell in row.Cells)
            {
                if (cell is null)
                {
                    w.WriteNullValue();
                    continue;
                }

                w.WriteStartObject();
                Number(w, "speedup", cell.Speedup);
                Number(w, "ci_low_speedup", cell.Low);
                Number(w, "ci_high_speedup", cell.High);
                if (cell.Verdict is { } v)
                {
                    w.WriteString("verdict", v.ToString().ToLowerInvariant());
                }
                else
                {
                    w.WriteNull("verdict");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Six decimals: the schema's precision for t/s and percentages (docs/compare-report.schema.json).
    private static void Number(Utf8JsonWriter w, string name, double? value) => JsonNumbers.Write(w, name, value, 6);
}
