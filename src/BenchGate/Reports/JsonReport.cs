using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchGate.Detection;

namespace BenchGate.Reports;

/// <summary>The JSON report; its schema is docs/regression-report.schema.json.</summary>
public static class JsonReport
{
    public const string SchemaId = "https://benchgate.dev/schemas/regression-report-v1.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Render(DetectionReport r) => JsonSerializer.Serialize(new
    {
        schema = SchemaId,
        generated = r.Generated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        threshold_percent = r.ThresholdPercent,
        alpha = r.Alpha,
        baseline = r.BaselineLabel,
        current = r.CurrentLabel,
        summary = new
        {
            total_benchmarks = r.Benchmarks.Count,
            regressions = r.Count(Verdict.Regression),
            improvements = r.Count(Verdict.Improvement),
            stable = r.Count(Verdict.Stable),
            inconclusive = r.Count(Verdict.Inconclusive),
            added = r.Added.Count,
            removed = r.Removed.Count,
        },
        comparisons = r.Comparisons.Select(c => new
        {
            benchmark = c.Title,
            key_hash = c.Key.Hash,
            metric = c.Metric.Name,
            higher_is_better = c.Metric.HigherIsBetter,
            verdict = c.Verdict.ToString().ToLowerInvariant(),
            threshold_percent = c.ThresholdPercent,
            baseline_value = c.Estimate.BaselineValue,
            current_value = c.Estimate.CurrentValue,
            change_percent = c.Estimate.ChangePercent,
            ci_low_percent = c.Estimate.CiLowPercent,
            ci_high_percent = c.Estimate.CiHighPercent,
            p_value = c.Estimate.PValue,
            q_value = c.QValue,
            minimum_detectable_percent = c.Estimate.MinimumDetectablePercent,
            noise = new { log_sd = c.Estimate.Noise.LogSd, degrees_of_freedom = Finite(c.Estimate.Noise.DegreesOfFreedom), source = c.Estimate.Noise.Source.ToString().ToLowerInvariant() },
            baseline_runs = c.Estimate.BaselineRuns,
            current_runs = c.Estimate.CurrentRuns,
            history_runs = c.Estimate.HistoryRuns,
            from_samples = c.Estimate.FromSamples,
        }),
        keys = r.Comparisons.Select(c => c.Key).Concat(r.Added.Select(a => a.Key)).Concat(r.Removed.Select(a => a.Key)).Distinct()
            .ToDictionary(k => k.Hash, k => k.Fields.ToDictionary(f => f.Key, f => f.Value)),
        added = r.Added.Select(a => new { benchmark = a.Title, key_hash = a.Key.Hash }),
        removed = r.Removed.Select(a => new { benchmark = a.Title, key_hash = a.Key.Hash }),
    }, Options);

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;
}
