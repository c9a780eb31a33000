using System.Text.Json;
using BenchGate.Detection;

namespace BenchGate.Reports;

/// <summary>
/// The JSON report; its schema is docs/regression-report.schema.json. Written with <see cref="Utf8JsonWriter"/>
/// rather than the reflection serializer: a report of 30,000 comparisons is tens of MB, and detect runs in a
/// fresh process each time.
/// </summary>
public static class JsonReport
{
    public const string SchemaId = "https://benchgate.dev/schemas/regression-report-v1.json";

    public static string Render(DetectionReport r) =>
        JsonReportWriter.ToText(output => Write(r, output));

    /// <summary>Writes the report as UTF-8 to <paramref name="output"/> without holding it as a string.</summary>
    public static void Write(DetectionReport r, Stream output)
    {
        using (var w = JsonReportWriter.Create(output))
        {
            w.WriteStartObject();
            w.WriteString("schema", SchemaId);
            w.WriteString("generated", r.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("threshold_percent", r.ThresholdPercent);
            w.WriteNumber("alpha", r.Alpha);
            w.WriteString("baseline", r.BaselineLabel);
            w.WriteString("current", r.CurrentLabel);
            w.WriteStartObject("summary");
            w.WriteNumber("total_benchmarks", r.Benchmarks.Count);
            w.WriteNumber("regressions", r.Count(Verdict.Regression));
            w.WriteNumber("improvements", r.Count(Verdict.Improvement));
            w.WriteNumber("stable", r.Count(Verdict.Stable));
            w.WriteNumber("inconclusive", r.Count(Verdict.Inconclusive));
            w.WriteNumber("warnings", r.Warnings);
            w.WriteNumber("failing_regressions", r.FailingRegressions);
            w.WriteNumber("added", r.Added.Count);
            w.WriteNumber("removed", r.Removed.Count);
            w.WriteNumber("memory_regressions", r.MemoryRegressions.Count);
            w.WriteEndObject();
            w.WriteStartArray("comparisons");
            foreach (var c in r.Comparisons)
            {
                WriteComparison(w, c);
            }

            w.WriteEndArray();
            w.WriteStartObject("keys");
            foreach (var key in r.Comparisons.Select(c => c.Key).Concat(r.Added.Select(a => a.Key)).Concat(r.Removed.Select(a => a.Key)).Distinct())
            {
                w.WriteStartObject(key.Hash);
                foreach (var (name, value) in key.Fields)
                {
                    w.WriteString(name, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            if (r.ComparedNothing)
            {
                w.WriteStartArray("mismatch");
                foreach (var m in r.Mismatch ?? [])
                {
                    w.WriteStringValue(m);
                }

                w.WriteEndArray();
            }

            WriteBenchmarks(w, "added", r.Added);
            WriteBenchmarks(w, "removed", r.Removed);
            if (r.Memory is { Count: > 0 } memory)
            {
                w.WriteStartArray("memory");
                foreach (var m in memory)
                {
                    var e = m.Estimate;
                    w.WriteStartObject();
                    w.WriteString("source", m.Source);
                    w.WriteString("metric", m.Metric.Name);
                    JsonNumbers.Write(w, "baseline_mb", e.BaselineValue, 3);
                    JsonNumbers.Write(w, "current_mb", e.CurrentValue, 3);
                    JsonNumbers.Write(w, "change_percent", e.ChangePercent, 4);
                    JsonNumbers.Write(w, "ci_low_percent", e.CiLowPercent, 4);
                    JsonNumbers.Write(w, "ci_high_percent", e.CiHighPercent, 4);
                    JsonNumbers.Write(w, "p_value", e.PValue, 6);
                    w.WriteString("verdict", m.Verdict.ToString().ToLowerInvariant());
                    w.WriteNumber("baseline_runs", e.BaselineRuns);
                    w.WriteNumber("current_runs", e.CurrentRuns);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }
    }

    private static void WriteComparison(Utf8JsonWriter w, BenchmarkComparison c)
    {
        var e = c.Estimate;
        w.WriteStartObject();
        w.WriteString("benchmark", c.Title);
        w.WriteString("key_hash", c.Key.Hash);
        w.WriteString("metric", c.Metric.Name);
        w.WriteBoolean("higher_is_better", c.Metric.HigherIsBetter);
        w.WriteString("verdict", c.Verdict.ToString().ToLowerInvariant());
        if (c.Verdict == Verdict.Inconclusive)
        {
            w.WriteString("reason", ReasonName(c.Reason));
        }

        w.WriteNumber("threshold_percent", c.ThresholdPercent);
        w.WriteNumber("baseline_value", e.BaselineValue);
        w.WriteNumber("current_value", e.CurrentValue);
        w.WriteNumber("change_percent", e.ChangePercent);
        w.WriteNumber("ci_low_percent", e.CiLowPercent);
        w.WriteNumber("ci_high_percent", e.CiHighPercent);
        w.WriteNumber("p_value", e.PValue);
        w.WriteNumber("q_value", c.QValue);
        w.WriteNumber("minimum_detectable_percent", e.MinimumDetectablePercent);
        w.WriteStartObject("noise");
        w.WriteNumber("log_sd", e.Noise.LogSd);
        if (double.IsFinite(e.Noise.DegreesOfFreedom))
        {
            w.WriteNumber("degrees_of_freedom", e.Noise.DegreesOfFreedom);
        }

        w.WriteString("source", e.Noise.Source.ToString().ToLowerInvariant());
        w.WriteEndObject();
        w.WriteNumber("baseline_runs", e.BaselineRuns);
        w.WriteNumber("current_runs", e.CurrentRuns);
        w.WriteNumber("history_runs", e.HistoryRuns);
        w.WriteNumber("history_commits", e.HistoryPoints);
        w.WriteBoolean("from_samples", e.FromSamples);
        if (c.KnownFalsePositive)
        {
            w.WriteBoolean("known_false_positive", true);
        }

        w.WriteEndObject();
    }

    /// <summary>The JSON name of an inconclusive verdict's reason.</summary>
    public static string ReasonName(InconclusiveReason reason) => reason switch
    {
        InconclusiveReason.PossibleRegression => "possible_regression",
        InconclusiveReason.PossibleImprovement => "possible_improvement",
        _ => "no_evidence",
    };

    private static void WriteBenchmarks(Utf8JsonWriter w, string name, IReadOnlyList<(Model.BenchmarkKey Key, string Title)> keys)
    {
        w.WriteStartArray(name);
        foreach (var (key, title) in keys)
        {
            w.WriteStartObject();
            w.WriteString("benchmark", title);
            w.WriteString("key_hash", key.Hash);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
