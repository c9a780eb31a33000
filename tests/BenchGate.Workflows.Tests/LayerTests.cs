namespace BenchGate.Workflows.Tests;

/// <summary>Issue #15: the layers of docs/architecture.md, checked on the built assemblies' references.</summary>
public sealed class LayerTests
{
    private static HashSet<string> References(Type t) =>
        [.. t.Assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    [Fact]
    public void The_core_references_no_adapter_driver_or_console()
    {
        var core = References(typeof(BenchGateException));
        Assert.DoesNotContain(core, n => n.StartsWith("BenchGate", StringComparison.Ordinal));
        foreach (var forbidden in new[] { "Microsoft.Data.Sqlite", "Npgsql", "Spectre.Console", "System.CommandLine", "YamlDotNet", "ScottPlot" })
        {
            Assert.DoesNotContain(forbidden, core);
        }
    }

    [Fact]
    public void The_workflows_parse_no_arguments_and_draw_no_console()
    {
        var workflows = References(typeof(WorkflowHost));
        Assert.DoesNotContain("System.CommandLine", workflows);
        Assert.DoesNotContain("Spectre.Console", workflows);
    }

    [Fact]
    public void Adapters_depend_on_the_core_not_on_the_workflows()
    {
        foreach (var adapter in new[] { typeof(Storage.StoreLocation), typeof(Git.GitCommitGraph), typeof(GitHub.PullRequestComments), typeof(Processes.ExternalProcess) })
        {
            var refs = References(adapter);
            Assert.DoesNotContain("BenchGate.Workflows", refs);
            Assert.DoesNotContain("BenchGate.Storage", adapter == typeof(Storage.StoreLocation) ? [] : refs);
        }
    }
}
