using BenchGate.Tests.Shared;
using BenchGate.Trend;
using BenchGate.Workflows.Ingest;
using BenchGate.Workflows.Trend;

namespace BenchGate.Workflows.Tests.Trend;

/// <summary>Issue #15: trend's work called directly; a second call over the same history raises nothing new.</summary>
public sealed class TrendWorkflowTests
{
    [Fact]
    public void The_real_step_in_master_history_raises_one_alert_once()
    {
        using var dir = new TempDir();
        var db = dir.File("history.sqlite");
        // One run (4 lines) per commit, as ci push stores master's history.
        var lines = File.ReadAllLines(Fixtures.Path("history/master_history.jsonl"));
        for (var i = 0; i < lines.Length / 4; i++)
        {
            var run = dir.File($"run{i + 1}.jsonl");
            File.WriteAllLines(run, lines.Skip(i * 4).Take(4));
            IngestWorkflow.Run(new BufferedHost().Host, new IngestRequest([run], db, new BenchGate.Ingest.IngestOptions(Commit: $"c{i + 1}", Branch: "master", Machine: "runner-1")));
        }

        TrendHistoryRequest Request() => new(db, null, null, new TrendFilter(), ["avg_ts"], null, 5, null, dir.File("trend.md"), null, Record: true, Full: false);
        var first = TrendWorkflow.Run(new BufferedHost().Host, Request());
        Assert.Equal(GateOutcome.Regression, first.Gate);
        Assert.Contains(first.Report.Series, s => s.ChangePoints.Any(c => c.NewAlert));

        var again = TrendWorkflow.Run(new BufferedHost().Host, Request());
        Assert.Equal(GateOutcome.Pass, again.Gate);
        Assert.DoesNotContain(again.Report.Series, s => s.ChangePoints.Any(c => c.NewAlert));
    }
}
