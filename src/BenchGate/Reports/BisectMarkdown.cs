using System.Globalization;
using System.Text;
using BenchGate.Bisect;

namespace BenchGate.Reports;

/// <summary>bisect's markdown report: the first bad commit and its change, then every probe and the range.</summary>
public static class BisectMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(BisectResult r, string metricLabel, double confidence)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Bisection Report").AppendLine();
        sb.AppendLine(Inv, $"**Benchmark:** {r.Benchmark} ({metricLabel})");
        sb.AppendLine(Inv, $"**Range:** good `{r.Good.Short}` … bad `{r.Bad.Short}`, {Words.Count(r.Range.Count - 1, "commit")} after the good one (first parent)");
        sb.AppendLine(Inv, $"**Each decision at:** {(confidence * 100).ToString("0.##", Inv)}% one-sided").AppendLine();
        var ends = BisectText.Change(r.Ends.EndsChange, r.Ends.FromGoodSe, r.Ends.DegreesOfFreedom);
        switch (r.Outcome)
        {
            case BisectOutcome.Found:
                var (log, se, df) = r.CulpritChange!.Value;
                sb.AppendLine(Inv, $"## 🎯 First Bad Commit: `{r.FirstBad!.Sha}`").AppendLine();
                sb.AppendLine(Inv, $"> {r.FirstBad.Subject}").AppendLine();
                sb.AppendLine(Inv, $"- Change at this commit, from its parent `{r.Range[r.Candidates[0] - 1].Short}`: {BisectText.Change(log, se, df)} (95% interval)");
                break;
            case BisectOutcome.Ambiguous:
                sb.AppendLine("## ❓ The First Bad Commit Is One Of").AppendLine();
                foreach (var i in r.Candidates)
                {
                    sb.AppendLine(Inv, $"- `{r.Range[i].Sha}` {r.Range[i].Subject}{(r.Probes.Any(p => p.Index == i && p.Verdict.State == ProbeState.Skipped) ? $" (skipped: {r.Probes.Last(p => p.Index == i).Verdict.Detail})" : "")}");
                }

                sb.AppendLine().AppendLine("Skipped commits (they did not build, or their benchmark did not run) stand between the last good and the first bad commit.");
                break;
            default:
                sb.AppendLine("## ➖ No Change Between the Ends").AppendLine();
                sb.AppendLine(Inv, $"After {Words.Count(r.Ends.Rounds, "round")} the ends differ by {ends}: not clearly more than this machine's noise, so there is nothing to bisect. Give more rounds (--max-runs) or a larger benchmark (-r, -p/-n).");
                break;
        }

        if (r.Outcome != BisectOutcome.NoChange)
        {
            sb.AppendLine(Inv, $"- Change between the ends: {ends} after {Words.Count(r.Ends.Rounds, "round")}{(r.EndsCached ? " (cached)" : "")}");
            sb.AppendLine(Inv, $"- Confidence that every decision was right: {BisectText.Confidence(r.Confidence)}{(r.AllConfident ? "" : "; some probes reached --max-runs and were decided by the more likely side")}");
        }

        sb.AppendLine(Inv, $"- Spent: {BisectText.Spent(r)}").AppendLine();
        if (r.Probes.Count > 0)
        {
            sb.AppendLine("## Probes").AppendLine();
            sb.AppendLine("| Step | Commit | Subject | Verdict | Rounds | Position | Change from good |");
            sb.AppendLine("| ---: | --- | --- | --- | ---: | ---: | ---: |");
            foreach (var p in r.Probes)
            {
                var v = p.Verdict;
                var verdict = v.State == ProbeState.Skipped ? $"skipped ({v.Detail})" : v.State.ToString().ToLowerInvariant() + (v.Confident ? "" : " (not confident)");
                var position = double.IsFinite(v.Position) ? v.Position.ToString("0.00", Inv) : "";
                var change = double.IsFinite(v.FromGood) ? BisectText.Change(v.FromGood, v.FromGoodSe, v.DegreesOfFreedom) : "";
                sb.AppendLine(Inv, $"| {p.Step} | `{p.Commit.Short}` | {Cell(p.Commit.Subject)} | {Cell(verdict)}{(p.Cached ? " (cached)" : "")} | {v.Rounds} | {position} | {change} |");
            }

            sb.AppendLine();
            sb.AppendLine("Position: where the commit's speed lies between the good end (0) and the bad end (1), measured beside both in each round.").AppendLine();
        }

        return sb.ToString();
    }

    private static string Cell(string text) => ReportText.TableCell(text).Replace("\n", " ", StringComparison.Ordinal);
}
