using System.Text.Json;
using BenchGate.Bisect;

namespace BenchGate.Reports;

/// <summary>bisect's JSON report (docs/bisect-report.schema.json): the culprit's full hash as first_bad_commit, every probe.</summary>
public static class BisectJson
{
    public const string SchemaId = "https://benchgate.dev/schemas/bisect-report-v1.json";

    public static string Render(BisectResult r, string metric, double confidence) =>
        JsonReportWriter.ToText(output => Write(r, metric, confidence, output));

    public static void Write(BisectResult r, string metric, double confidence, Stream output)
    {
        using var w = JsonReportWriter.Create(output);
        w.WriteStartObject();
        w.WriteString("schema", SchemaId);
        w.WriteString("outcome", r.Outcome switch { BisectOutcome.Found => "found", BisectOutcome.Ambiguous => "ambiguous", _ => "no_change" });
        w.WriteString("first_bad_commit", r.FirstBad?.Sha);
        w.WriteStartArray("candidates");
        foreach (var i in r.Candidates)
        {
            w.WriteStringValue(r.Range[i].Sha);
        }

        w.WriteEndArray();
        w.WriteString("benchmark", r.Benchmark);
        w.WriteString("metric", metric);
        w.WriteString("good_commit", r.Good.Sha);
        w.WriteString("bad_commit", r.Bad.Sha);
        w.WriteNumber("range_commits", r.Range.Count - 1);
        w.WriteNumber("decision_confidence", confidence);
        JsonNumbers.Write(w, "confidence", r.Confidence, 6);
        w.WriteBoolean("all_confident", r.AllConfident);
        w.WriteBoolean("regression", r.IsRegression);
        w.WriteStartObject("ends");
        WriteChange(w, r.Ends.EndsChange, r.Ends.FromGoodSe, r.Ends.DegreesOfFreedom);
        w.WriteNumber("rounds", r.Ends.Rounds);
        JsonNumbers.Write(w, "p_value", r.Ends.PValue, 6);
        w.WriteBoolean("confident", r.Ends.Confident);
        w.WriteBoolean("cached", r.EndsCached);
        w.WriteEndObject();
        if (r.CulpritChange is var (log, se, df))
        {
            w.WriteStartObject("culprit_change");
            WriteChange(w, log, se, df);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("culprit_change");
        }

        w.WriteNumber("builds", r.Builds);
        w.WriteNumber("runs", r.Runs);
        w.WriteStartArray("probes");
        foreach (var p in r.Probes)
        {
            WriteProbe(w, p);
        }

        w.WriteEndArray();
        w.WriteString("summary", BisectText.Line(r));
        w.WriteEndObject();
    }

    private static void WriteProbe(Utf8JsonWriter w, BisectProbe p)
    {
        var v = p.Verdict;
        w.WriteStartObject();
        w.WriteNumber("step", p.Step);
        w.WriteString("commit", p.Commit.Sha);
        w.WriteString("subject", p.Commit.Subject);
        w.WriteString("verdict", v.State.ToString().ToLowerInvariant());
        w.WriteBoolean("confident", v.Confident);
        w.WriteNumber("rounds", v.Rounds);
        JsonNumbers.Write(w, "position", v.Position, 3);
        if (double.IsFinite(v.FromGood))
        {
            w.WriteStartObject("change_from_good");
            WriteChange(w, v.FromGood, v.FromGoodSe, v.DegreesOfFreedom);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("change_from_good");
        }

        JsonNumbers.Write(w, "p_value", v.PValue, 6);
        w.WriteBoolean("cached", p.Cached);
        w.WriteString("detail", v.Detail);
        w.WriteEndObject();
    }

    private static void WriteChange(Utf8JsonWriter w, double log, double se, double df)
    {
        if (!double.IsFinite(log))
        {
            w.WriteNull("percent");
            return;
        }

        var (pct, lo, hi) = BisectText.Interval(log, se, df);
        JsonNumbers.Write(w, "percent", pct, 2);
        JsonNumbers.Write(w, "ci_low_percent", lo, 2);
        JsonNumbers.Write(w, "ci_high_percent", hi, 2);
    }
}
