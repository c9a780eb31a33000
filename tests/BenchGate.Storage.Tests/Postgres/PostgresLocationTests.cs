using BenchGate.Storage.Postgres;
using BenchGate.Tests.Shared;

namespace BenchGate.Storage.Tests.Postgres;

public sealed class PostgresLocationTests(PostgresServer pg)
{
    [Theory]
    [InlineData("postgres://bench:s3cr%40t@db.example:6543/perf?sslmode=require", "postgres://bench@db.example:6543/perf")]
    [InlineData("postgresql://bench@db.example/perf", "postgres://bench@db.example:5432/perf")]
    [InlineData("Host=db.example;Port=6543;Username=bench;Password=s3cr@t;Database=perf", "postgres://bench@db.example:6543/perf")]
    public void A_url_or_connection_string_is_shown_without_its_password(string value, string display)
    {
        Assert.True(PostgresLocation.IsPostgres(value));
        var location = PostgresLocation.Parse(value);
        Assert.Equal(display, location.Display);
        Assert.DoesNotContain("s3cr", location.Display, StringComparison.Ordinal);
        Assert.Equal(PostgresLocation.DefaultConnectTimeoutSeconds, location.Builder.Timeout);
        if (value.Contains("s3cr", StringComparison.Ordinal))
        {
            Assert.Equal("s3cr@t", location.Builder.Password);
        }
    }

    [Theory]
    [InlineData("results.sqlite")]
    [InlineData("/tmp/Host=x.sqlite")]
    [InlineData("performance-results.sqlite")]
    public void File_names_are_not_servers(string value) => Assert.False(PostgresLocation.IsPostgres(value));

    [Fact]
    public void An_unknown_url_parameter_is_refused_by_name_without_the_password()
    {
        var e = Assert.Throws<StoreException>(() => PostgresLocation.Parse("postgres://u:hunter2@h/db?sslmod=require"));
        Assert.Contains("unknown URL parameter 'sslmod'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_password_is_named_as_such_quickly_and_never_echoed()
    {
        var db = PostgresServer.DatabaseOf(pg.NewDatabase());
        var e = Assert.Throws<StoreException>(() => ResultStores.Open(pg.Url(db, PostgresServer.SecureUser, "wrong-Pa55word")));
        Assert.Contains("authentication failed for user 'bg_secure'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Pa55word", e.Message, StringComparison.Ordinal);

        using var right = ResultStores.Open(pg.Url(db, PostgresServer.SecureUser, PostgresServer.SecurePassword));
        Assert.StartsWith($"postgres://{PostgresServer.SecureUser}@", right.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_is_not_there_is_reported_within_ten_seconds()
    {
        // Within 10 s by the connect timeout (5 s unless the URL says otherwise), asserted on the setting, not on a busy machine's clock.
        Assert.Equal(PostgresLocation.DefaultConnectTimeoutSeconds, new Npgsql.NpgsqlConnectionStringBuilder(PostgresLocation.Parse("postgres://u:pw@127.0.0.1:1/db").ConnectionString).Timeout);
        var e = Assert.Throws<StoreException>(() => ResultStores.Open("postgres://u:pw@127.0.0.1:1/db"));
        Assert.Equal("postgres://u@127.0.0.1:1/db: cannot connect to the PostgreSQL server (connection refused: is it running and listening on this port?)", e.Message);
    }

    [Fact]
    public void A_user_without_create_permission_is_told_what_it_lacks_and_a_missing_database_is_named()
    {
        var db = PostgresServer.DatabaseOf(pg.NewDatabase());
        using var store = ResultStores.Open(pg.Url(db, PostgresServer.ReadOnlyUser));
        var e = Assert.Throws<StoreException>(() => store.Migrate());
        Assert.Contains("permission denied for schema public", e.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<StoreException>(() => ResultStores.Open(pg.Url("no_such_db_here")));
        Assert.Contains("database \"no_such_db_here\" does not exist", missing.Message, StringComparison.Ordinal);
    }
}
