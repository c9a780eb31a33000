using System.Text.RegularExpressions;
using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests;

/// <summary>
/// Runs the user guide (docs/performance-regression-testing.md): every benchgate line of every sh block, in order,
/// in one directory laid out like a checkout with a llama.cpp build — the fixtures under tests/fixtures, a stand-in
/// replaying real llama-bench output at build/bin/llama-bench and a model file — so the guide cannot rot.
/// </summary>
public sealed partial class GuideTests
{
    [Fact]
    public void Every_command_in_the_user_guide_runs()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("tests"));
        Directory.CreateSymbolicLink(dir.File("tests/fixtures"), Fixtures.Root);
        StandIn.Create(dir, "build/bin/llama-bench", "llama-bench/ab-cpu-long/ab_long_fast.jsonl");
        Directory.CreateDirectory(dir.File("models"));
        File.WriteAllText(dir.File("models/tinyllama-1.1b-chat-v1.0.Q4_0.gguf"), "GGUF");

        var ran = 0;
        foreach (var block in Blocks(File.ReadAllText(Fixtures.RepoFile("docs/performance-regression-testing.md"))))
        {
            var lines = block.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (HereDoc().Match(lines[i]) is { Success: true } doc)
                {
                    // cat > file <<'EOF' … EOF: the guide writes a file the next commands read.
                    var body = lines.Skip(i + 1).TakeWhile(l => l != doc.Groups["end"].Value).ToList();
                    File.WriteAllText(dir.File(doc.Groups["file"].Value), string.Join('\n', body) + "\n");
                    i += body.Count + 1;
                    continue;
                }

                var command = IntegrationTests.ShellCommands(lines[i]).SingleOrDefault();
                if (command is not ["benchgate", ..])
                {
                    continue;
                }

                Assert.Empty(Program.ParseErrors([.. command.Skip(1)]));
                var run = CliProcess.Run(dir.Path, [.. command.Skip(1)]);
                Assert.True(run.ExitCode is 0 or 1, $"'{lines[i]}' exited {run.ExitCode}: {run.Stderr}");
                ran++;
            }
        }

        Assert.True(ran >= 20, $"only {ran} commands ran: the sh blocks were not found");
        Assert.True(File.Exists(dir.File("regression-report.md")));
        Assert.Equal(1, TestDb.Count(dir.File("slow.sqlite"), "SELECT COUNT(*) FROM regression_alerts WHERE id = 1 AND status = 'false_positive'"));
        Assert.Equal(1, TestDb.Count(dir.File("baseline.sqlite"), "SELECT COUNT(*) FROM performance_baselines WHERE baseline_name = 'v1.0'"));
    }

    /// <summary>The sh blocks of the guide, except those a "not run" comment introduces.</summary>
    private static IEnumerable<string> Blocks(string markdown)
    {
        foreach (Match m in ShBlock().Matches(markdown))
        {
            if (!m.Groups["note"].Success)
            {
                yield return m.Groups["body"].Value;
            }
        }
    }

    [GeneratedRegex(@"(?<note><!-- not run:[^>]*-->\s*\n)?```sh\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();

    [GeneratedRegex(@"^cat > (?<file>\S+) <<'(?<end>\w+)'$")]
    private static partial Regex HereDoc();
}
