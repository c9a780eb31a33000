using BenchGate.Tests.Shared;
using CsCheck;

namespace BenchGate.Cli.Tests;

/// <summary>Any value for any option of the judging commands ends in exit 0–3 with at most one error line, never a stack trace.</summary>
public sealed class OptionFuzzTests
{
    private static readonly Gen<string> Value = Gen.OneOf(
        Gen.Const(""), Gen.Const("-1"), Gen.Const("0"), Gen.Const("1e308"), Gen.Const("NaN"), Gen.Const("five"), Gen.Const("100"),
        Gen.Const("postgres://u:secretpw@127.0.0.1:1/d?connect_timeout=abc"), Gen.Const("host= dbname="), Gen.Const(":memory:"), Gen.Const("/dev/null"),
        Gen.Const("missing.sqlite"), Gen.Const("--"), Gen.String[Gen.Char["abc019-_./:?=;@ '\"*%\u00e9"], 0, 30]);

    private static readonly string[][] Options =
    [
        ["detect", "--threshold"], ["detect", "--baseline-commit"], ["detect", "--config"], ["detect", "--current"], ["detect", "--output"],
        ["trend", "--threshold"], ["trend", "--metric"], ["trend", "--model"], ["trend", "--repo"], ["trend", "-d"],
        ["compare", "-b"], ["compare", "-o"], ["compare", "-s"], ["compare", "--threshold"], ["compare", "-t"],
        ["show", "-d"], ["show", "--format"], ["alerts", "list", "-d"], ["baseline", "list", "-d"], ["memcheck", "--leak-threshold-mb"],
        ["run", "--max-runs"], ["run", "--timeout"], ["profile", "--frequency"], ["profile", "--top"], ["profile", "--alert"], ["profile", "-o"],
    ];

    [Fact]
    public void Any_option_value_is_a_clear_answer_not_a_crash()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/commits/commits_lm_mmap.sqlite");
        Gen.Select(Gen.Int[0, Options.Length - 1], Value).Sample((i, value) =>
        {
            var option = Options[i];
            string[] rest = option[0] switch
            {
                "detect" => ["--baseline", db, "--current", db, "--baseline-commit", "876a43211", "--current-commit", "3f545becc", "--no-record"],
                "trend" => ["-d", db, "--no-record"],
                "compare" => ["-i", db],
                "memcheck" => ["--benchmark-output", Fixtures.Path("llama-bench/logs/cpu_verbose.stderr.log"), "--no-record"],
                "run" => ["--bench", "no-such-bench", "-d", dir.File("run.sqlite")],
                "profile" => ["--bench", "no-such-bench", "--baseline-bench", "no-such-bench", "-d", db],
                _ => [],
            };
            var r = CliProcess.Run(dir.Path, [.. option, value, .. rest]);
            Assert.True(r.ExitCode is >= 0 and <= 3, $"{string.Join(' ', option)} '{value}': exit {r.ExitCode}: {r.Stderr}");
            Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("secretpw", r.Stdout + r.Stderr, StringComparison.Ordinal);
        }, iter: 120, threads: 1, seed: "0N0XIzNsQ0O4");
    }
}
