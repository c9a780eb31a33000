using System.Globalization;
using Npgsql;

namespace BenchGate.Storage.Postgres;

/// <summary>
/// A PostgreSQL database named as a URL (<c>postgres://user:password@host:port/db?sslmode=require</c>) or as an
/// Npgsql connection string (<c>Host=...;Port=...;Username=...;Database=...</c>). <see cref="Display"/> is what
/// messages show: it never contains the password.
/// </summary>
public sealed class PostgresLocation
{
    /// <summary>Connecting gives up after this long, so an unreachable server is reported well within 10 s.</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    private PostgresLocation(NpgsqlConnectionStringBuilder builder)
    {
        Builder = builder;
        Display = $"postgres://{(builder.Username is { Length: > 0 } u ? Uri.EscapeDataString(u) + "@" : "")}{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? "postgres"}";
    }

    internal NpgsqlConnectionStringBuilder Builder { get; }

    /// <summary>The database without its password, for messages.</summary>
    public string Display { get; }

    public string ConnectionString => Builder.ConnectionString;

    /// <summary>Whether a --database value names PostgreSQL rather than a SQLite file.</summary>
    public static bool IsPostgres(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || (value.Contains('=', StringComparison.Ordinal) && value.Split(';').Any(p => p.Trim().StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || p.Trim().StartsWith("Server=", StringComparison.OrdinalIgnoreCase)));

    public static PostgresLocation Parse(string value)
    {
        NpgsqlConnectionStringBuilder b;
        try
        {
            b = value.Contains("://", StringComparison.Ordinal) ? FromUrl(value) : new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException e)
        {
            throw new StoreException($"{Redact(value)}: not a PostgreSQL connection string ({e.Message})");
        }

        if (string.IsNullOrEmpty(b.Host))
        {
            throw new StoreException($"{Redact(value)}: names no host");
        }

        if (!value.Contains("Timeout=", StringComparison.OrdinalIgnoreCase) && !value.Contains("connect_timeout", StringComparison.OrdinalIgnoreCase))
        {
            b.Timeout = DefaultConnectTimeoutSeconds;
        }

        b.ApplicationName ??= "benchgate";
        // Npgsql's own log and exception texts never need the password once the connection is open.
        b.PersistSecurityInfo = false;
        return new PostgresLocation(b);
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new ArgumentException("expected postgres://user:password@host:port/database");
        }

        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port };
        if (uri.UserInfo is { Length: > 0 } info)
        {
            var colon = info.IndexOf(':', StringComparison.Ordinal);
            b.Username = Uri.UnescapeDataString(colon < 0 ? info : info[..colon]);
            if (colon >= 0)
            {
                b.Password = Uri.UnescapeDataString(info[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            b.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, v) = eq < 0 ? (pair, "") : (pair[..eq], Uri.UnescapeDataString(pair[(eq + 1)..]));
            switch (name)
            {
                case "sslmode": b.SslMode = Enum.Parse<SslMode>(v.Replace("-", "", StringComparison.Ordinal), ignoreCase: true); break;
                case "connect_timeout": b.Timeout = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "application_name": b.ApplicationName = v; break;
                case "options": b.Options = v; break;
                case "password": b.Password = v; break;
                case "user": b.Username = v; break;
                default: throw new ArgumentException($"unknown URL parameter '{name}' (known: sslmode, connect_timeout, application_name, options, user, password)");
            }
        }

        return b;
    }

    /// <summary>The value with any password removed, for a message about a value that did not parse.</summary>
    public static string Redact(string value)
    {
        var redacted = System.Text.RegularExpressions.Regex.Replace(value, @"(?i)(://[^:/@]*):[^@]*@", "$1:***@");
        return System.Text.RegularExpressions.Regex.Replace(redacted, @"(?i)(password|pwd)\s*=\s*[^;&]*", "$1=***");
    }

    public override string ToString() => Display;
}
