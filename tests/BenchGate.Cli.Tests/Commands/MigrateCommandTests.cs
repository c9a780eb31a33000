using BenchGate.Tests.Shared;

namespace BenchGate.Cli.Tests.Commands;

public sealed class MigrateCommandTests
{
    [Fact]
    public void Migrate_reports_versions_and_is_idempotent()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/old-2024/old.sqlite");
        var first = CliProcess.Run(dir.Path, "migrate", "-d", db);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("adopted 12 rows that llama-bench wrote directly, as 3 runs", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("migrated from schema version 0 to 9", first.Stdout, StringComparison.Ordinal);

        var second = CliProcess.Run(dir.Path, "migrate", "-d", db);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("at schema version 9: nothing to migrate", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Print_sql_writes_a_script_and_changes_nothing()
    {
        using var dir = new TempDir();
        var db = dir.Copy("llama-bench/aa-cpu-small/aa.sqlite");
        var before = Fixtures.Sha256(db);
        var r = CliProcess.Run(dir.Path, "migrate", "-d", db, "--print-sql");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("-- BenchGate schema migration", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE IF NOT EXISTS performance_baselines", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE llama_bench ADD COLUMN benchgate_result_id", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, Fixtures.Sha256(db));

        var empty = CliProcess.Run(dir.Path, "migrate", "--print-sql", "-d", "none.sqlite");
        Assert.DoesNotContain("ALTER TABLE llama_bench ADD", empty.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("none.sqlite")));
    }

    [Fact]
    public void Show_on_a_missing_database_says_so()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "show", "-d", "nothing.sqlite");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: nothing.sqlite: no such database\n", r.Stderr);
    }
}
