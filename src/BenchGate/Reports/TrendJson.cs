using System.Globalization;
using System.Text.Json;
using BenchGate.Detection;
using BenchGate.Trend;

namespace BenchGate.Reports;

/// <summary>trend's JSON report (docs/trend-report.schema.json): for tests, scripts and the dashboard.</summary>
public static class TrendJson
{
    public const string SchemaId = "https://benchgate.dev/schemas/trend-report-v1.json";

    public static string Render(TrendReport r) =>
        JsonReportWriter.ToText(output => Write(r, output));

    public static void Write(TrendReport r, Stream output)
    {
        using var w = JsonReportWriter.Create(output);
        w.WriteStartObject();
        w.WriteString("schema", SchemaId);
        w.WriteString("generated", r.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        w.WriteNumber("threshold_percent", r.ThresholdPercent);
        w.WriteNumber("alpha", r.Alpha);
        w.WriteString("order", r.Order);
        var cps = r.Series.SelectMany(s => s.ChangePoints).ToList();
        w.WriteStartObject("summary");
        w.WriteNumber("series", r.Series.Count);
        w.WriteNumber("points", r.Series.Sum(s => s.Series.Points.Count));
        w.WriteNumber("change_points", cps.Count);
        w.WriteNumber("regressions", cps.Count(c => c.Verdict == Verdict.Regression));
        w.WriteNumber("improvements", cps.Count(c => c.Verdict == Verdict.Improvement));
        w.WriteNumber("suspected_machine", cps.Count(c => c.Cause == SuspectedCause.Machine));
        w.WriteNumber("new_alerts", cps.Count(c => c.NewAlert));
        w.WriteNumber("new_regressions", r.NewRegressions.Count());
        w.WriteEndObject();
        w.WriteStartArray("series");
        foreach (var s in r.Series)
        {
            WriteSeries(w, s);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSeries(Utf8JsonWriter w, SeriesTrend s)
    {
        var x = s.Series;
        w.WriteStartObject();
        w.WriteString("series_id", x.Id);
        w.WriteString("benchmark", x.Title);
        w.WriteString("key_hash", x.Key.Hash);
        w.WriteString("test", x.Test);
        w.WriteString("model_filename", x.Key["model_filename"]);
        w.WriteString("backends", x.Key["backends"]);
        w.WriteString("metric", x.Metric.Name);
        w.WriteBoolean("higher_is_better", x.Metric.HigherIsBetter);
        w.WriteString("machine", x.Machine);
        w.WriteString("branch", x.Branch);
        w.WriteNumber("threshold_percent", s.ThresholdPercent);
        w.WriteStartArray("points");
        foreach (var p in x.Points)
        {
            w.WriteStartObject();
            w.WriteString("commit", p.Commit);
            JsonNumbers.Write(w, "value", p.Value, 6);
            JsonNumbers.Write(w, "low", p.Low, 6);
            JsonNumbers.Write(w, "high", p.High, 6);
            w.WriteNumber("runs", p.Runs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("change_points");
        foreach (var c in s.ChangePoints)
        {
            w.WriteStartObject();
            w.WriteString("commit", c.Commit);
            w.WriteString("previous_commit", c.PreviousCommit);
            w.WriteNumber("index", c.Index);
            JsonNumbers.Write(w, "change_percent", c.ChangePercent, 4);
            JsonNumbers.Write(w, "ci_low_percent", c.CiLowPercent, 4);
            JsonNumbers.Write(w, "ci_high_percent", c.CiHighPercent, 4);
            w.WriteNumber("p_value", c.PValue);
            w.WriteString("verdict", c.Verdict == Verdict.Regression ? "regression" : "improvement");
            w.WriteString("suspected_cause", c.Cause == SuspectedCause.Machine ? "machine" : "code");
            if (c.Evidence is not null)
            {
                w.WriteString("evidence", c.Evidence);
            }

            JsonNumbers.Write(w, "alert_id", c.AlertId);
            w.WriteString("alert_status", c.AlertStatus);
            w.WriteBoolean("new_alert", c.NewAlert);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
