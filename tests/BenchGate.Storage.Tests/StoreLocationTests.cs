using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests;

/// <summary>Issue #15: one answer to "PostgreSQL, a SQLite file or a results file?", and one way to compare two locations.</summary>
public sealed class StoreLocationTests
{
    [Fact]
    public void Each_kind_of_location_is_told_apart_by_its_form_and_its_header()
    {
        using var dir = new TempDir();
        Assert.Equal(LocationKind.Postgres, StoreLocation.Of("postgres://u:secretpw@db.example:5432/bench").Kind);
        Assert.Equal(LocationKind.Postgres, StoreLocation.Of("host=db.example dbname=bench password=secretpw").Kind);
        Assert.Equal(LocationKind.SqliteFile, StoreLocation.Of(dir.Copy("llama-bench/aa-cpu-small/aa.sqlite")).Kind);
        Assert.Equal(LocationKind.ResultsFile, StoreLocation.Of(dir.Copy("llama-bench/aa-cpu-small/aa.jsonl")).Kind);
        var missing = StoreLocation.Of(dir.File("new.sqlite"));
        Assert.Equal(LocationKind.Missing, missing.Kind);
        Assert.False(missing.Exists || missing.IsDatabase);
    }

    [Fact]
    public void A_location_is_named_without_its_password_and_two_spellings_of_one_database_are_the_same()
    {
        using var dir = new TempDir();
        var pg = StoreLocation.Of("postgres://u:secretpw@db.example:5432/bench");
        Assert.DoesNotContain("secretpw", pg.Display, StringComparison.Ordinal);
        Assert.DoesNotContain("secretpw", pg.ToString(), StringComparison.Ordinal);
        Assert.True(pg.SameAs(StoreLocation.Of("Host=db.example;Port=5432;Username=u;Password=other;Database=bench")));
        Assert.False(pg.SameAs(StoreLocation.Of("postgres://u@db.example:5432/other")));
        // One database, two schemas: two stores, as detect must compare them.
        Assert.False(StoreLocation.Of("Host=db.example;Database=bench;Search Path=pr").SameAs(StoreLocation.Of("Host=db.example;Database=bench;Search Path=master")));

        var file = dir.Copy("llama-bench/aa-cpu-small/aa.sqlite");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
        Assert.True(StoreLocation.Of(file).SameAs(StoreLocation.Of(relative)));
        Assert.False(StoreLocation.Of(file).SameAs(pg));
    }
}
