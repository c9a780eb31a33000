using System.Text.Json;
using BenchGate.Memory;

namespace BenchGate.Reports;

/// <summary>memcheck's <c>--json-output</c>; its schema is docs/memory-report.schema.json.</summary>
public static class MemoryJson
{
    public const string SchemaId = "https://benchgate.dev/schemas/memory-report-v1.json";

    public static void Write(MemoryCheckReport r, Stream output)
    {
        using var w = JsonReportWriter.Create(output);
        w.WriteStartObject();
        w.WriteString("schema", SchemaId);
        w.WriteString("generated", r.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        if (r.Commit is null)
        {
            w.WriteNull("commit");
        }
        else
        {
            w.WriteString("commit", r.Commit);
        }

        w.WriteNumber("leak_threshold_mb", r.Thresholds.LeakMb);
        w.WriteNumber("excessive_threshold_gb", r.Thresholds.ExcessiveGb);
        w.WriteBoolean("failed", r.Failed);
        w.WriteStartObject("summary");
        w.WriteNumber("leaks", r.Leaks.Count());
        w.WriteNumber("excessive", r.Excessive.Count());
        w.WriteNumber("growth", r.Growth.Count());
        w.WriteNumber("regressions", r.Regressions.Count(x => x.Verdict == Detection.Verdict.Regression));
        w.WriteEndObject();
        w.WriteStartArray("findings");
        foreach (var f in r.Findings)
        {
            w.WriteStartObject();
            w.WriteString("source", f.Source);
            Text(w, "test", f.TestName);
            w.WriteString("detector", f.Detector);
            w.WriteString("kind", f.Kind.ToString().ToLowerInvariant());
            Number(w, "initial_mb", f.InitialMb);
            Number(w, "final_mb", f.FinalMb);
            Number(w, "peak_mb", f.PeakMb);
            Number(w, "leaked_mb", f.LeakedMb);
            Number(w, "leaked_bytes", f.LeakedBytes);
            Number(w, "leaked_objects", f.LeakedObjects);
            Number(w, "memory_status", f.MemoryStatus);
            w.WriteString("details", f.Details);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("peak_memory_regressions");
        foreach (var x in r.Regressions)
        {
            w.WriteStartObject();
            w.WriteString("source", x.Source);
            w.WriteNumber("baseline_mb", Math.Round(x.Estimate.BaselineValue, 3));
            w.WriteNumber("current_mb", Math.Round(x.Estimate.CurrentValue, 3));
            w.WriteNumber("change_percent", Math.Round(x.Estimate.ChangePercent, 3));
            w.WriteNumber("ci_low_percent", Math.Round(x.Estimate.CiLowPercent, 3));
            w.WriteNumber("ci_high_percent", Math.Round(x.Estimate.CiHighPercent, 3));
            w.WriteString("verdict", x.Verdict.ToString().ToLowerInvariant());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    // Four decimals: megabytes to the tenth of a kilobyte (docs/memory-report.schema.json).
    private static void Number(Utf8JsonWriter w, string name, double? value) => JsonNumbers.Write(w, name, value, 4);

    private static void Number(Utf8JsonWriter w, string name, long? value) => JsonNumbers.Write(w, name, value);
}
