using System.Diagnostics;
using Npgsql;

namespace BenchGate.Tests.Shared;

/// <summary>
/// A real PostgreSQL server for the tests: the one .ci/run started (BENCHGATE_TEST_POSTGRES, an admin connection
/// string), else a throwaway one this test process starts with .ci/postgres.sh and stops at the end. Each test
/// gets a database of its own.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string EnvironmentVariable = "BENCHGATE_TEST_POSTGRES";

    /// <summary>A role that logs in with a password (scram), for the wrong-credentials tests.</summary>
    public const string SecureUser = "bg_secure";

    public const string SecurePassword = "correct-horse-battery";

    /// <summary>A role without CREATE on any schema, for the missing-permissions tests.</summary>
    public const string ReadOnlyUser = "bg_reader";

    private readonly string? _dir;

    public PostgresServer()
    {
        var given = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (given is { Length: > 0 })
        {
            Admin = new NpgsqlConnectionStringBuilder(given);
        }
        else
        {
            _dir = Path.Combine(Path.GetTempPath(), "benchgate-pg-" + Guid.NewGuid().ToString("N")[..10]);
            var (code, output, errors) = Script("start", _dir);
            if (code != 0 || !output.StartsWith("Host=", StringComparison.Ordinal))
            {
                Dispose();
                throw new InvalidOperationException($"could not start a throwaway PostgreSQL server with .ci/postgres.sh (exit {code}): {output}{errors}");
            }

            Admin = new NpgsqlConnectionStringBuilder(output.Trim());
        }

        try
        {
            Execute("postgres", $"""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{SecureUser}') THEN CREATE ROLE {SecureUser} LOGIN PASSWORD '{SecurePassword}'; END IF;
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ReadOnlyUser}') THEN CREATE ROLE {ReadOnlyUser} LOGIN; END IF;
                END $$;
                """);
        }
        catch
        {
            // A server this fixture started must not outlive a failed setup.
            Dispose();
            throw;
        }
    }

    public NpgsqlConnectionStringBuilder Admin { get; }

    /// <summary>A fresh, empty database; returns its URL (postgres://user[:password]@host:port/db).</summary>
    public string NewDatabase(string? owner = null)
    {
        var name = "bg_" + Guid.NewGuid().ToString("N")[..16];
        Execute("postgres", $"CREATE DATABASE {name}{(owner is null ? "" : " OWNER " + owner)}");
        return Url(name);
    }

    public string Url(string database, string? user = null, string? password = null) =>
        $"postgres://{user ?? Admin.Username}{(password is null ? "" : ":" + Uri.EscapeDataString(password))}@{Admin.Host}:{Admin.Port}/{database}";

    public static string DatabaseOf(string url) => new Uri(url).AbsolutePath.TrimStart('/');

    public long Count(string url, string sql) => Convert.ToInt64(Scalar(DatabaseOf(url), sql), System.Globalization.CultureInfo.InvariantCulture);

    public object? Scalar(string database, string sql)
    {
        using var c = Open(database);
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    public void Execute(string database, string sql)
    {
        using var c = Open(database);
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    public NpgsqlConnection Open(string database)
    {
        var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Admin.ConnectionString) { Database = database, Pooling = false }.ConnectionString);
        c.Open();
        return c;
    }

    public void Dispose()
    {
        if (_dir is not null)
        {
            Script("stop", _dir);
        }
    }

    private static (int Code, string Output, string Errors) Script(string verb, string dir)
    {
        var psi = new ProcessStartInfo("bash", [Fixtures.RepoFile(".ci/postgres.sh"), verb, dir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
