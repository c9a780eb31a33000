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

    /// <summary>
    /// Whether a --database value names PostgreSQL rather than a SQLite file: a postgres:// URL, an Npgsql connection string
    /// (<c>Host=h;Database=d</c>, spaces around '=' allowed) or libpq's keyword form (<c>host=h dbname=d</c>).
    /// </summary>
    public static bool IsPostgres(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || (value.Contains('=', StringComparison.Ordinal) && Keys(value).Any(k => k is "host" or "server" or "dbname" or "database" or "hostaddr"));

    public static PostgresLocation Parse(string value)
    {
        NpgsqlConnectionStringBuilder b;
        try
        {
            b = value.Contains("://", StringComparison.Ordinal) ? FromUrl(value)
                : IsLibpq(value) ? FromLibpq(value)
                : new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or KeyNotFoundException or InvalidCastException)
        {
            throw new StoreException($"{Redact(value)}: not a PostgreSQL connection string ({Redact(e.Message)})");
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
                case "sslmode": b.SslMode = SslModeOf(v); break;
                case "connect_timeout": b.Timeout = Seconds(v); break;
                case "application_name": b.ApplicationName = v; break;
                case "options": b.Options = v; break;
                case "password": b.Password = v; break;
                case "user": b.Username = v; break;
                default: throw new ArgumentException($"unknown URL parameter '{name}' (known: sslmode, connect_timeout, application_name, options, user, password)");
            }
        }

        return b;
    }

    /// <summary>libpq's keyword/value form (<c>host=h port=5432 dbname=d user=u password=p</c>): pairs separated by spaces, not ';'.</summary>
    private static bool IsLibpq(string value) => !value.Contains(';', StringComparison.Ordinal)
        && System.Text.RegularExpressions.Regex.IsMatch(value, @"^\s*\w+\s*=\s*(?:'(?:[^'\\]|\\.)*'|\S+)(?:\s+\w+\s*=\s*(?:'(?:[^'\\]|\\.)*'|\S+))+\s*$");

    private static NpgsqlConnectionStringBuilder FromLibpq(string value)
    {
        var b = new NpgsqlConnectionStringBuilder();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(value, @"(\w+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S+))"))
        {
            var v = m.Groups[2].Success ? System.Text.RegularExpressions.Regex.Replace(m.Groups[2].Value, @"\\(.)", "$1") : m.Groups[3].Value;
            switch (m.Groups[1].Value.ToLowerInvariant())
            {
                case "host" or "hostaddr": b.Host = v; break;
                case "port": b.Port = Port(v); break;
                case "dbname": b.Database = v; break;
                case "user": b.Username = v; break;
                case "password": b.Password = v; break;
                case "sslmode": b.SslMode = SslModeOf(v); break;
                case "connect_timeout": b.Timeout = Seconds(v); break;
                case "application_name": b.ApplicationName = v; break;
                case "options": b.Options = v; break;
                case var k: throw new ArgumentException($"unknown keyword '{k}' (known: host, port, dbname, user, password, sslmode, connect_timeout, application_name, options)");
            }
        }

        return b;
    }

    private static int Seconds(string v) =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s <= 3600 ? s : throw new ArgumentException($"connect_timeout '{v}' is not a number of seconds (0–3600)");

    private static int Port(string v) =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536 ? p : throw new ArgumentException($"port '{v}' is not a port number");

    private static SslMode SslModeOf(string v) =>
        Enum.TryParse<SslMode>(v.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var m) && Enum.IsDefined(m) ? m
        : throw new ArgumentException($"sslmode '{v}' is not one of disable, allow, prefer, require, verify-ca, verify-full");

    /// <summary>The keys of a key=value string, lower case, whichever separator it uses.</summary>
    private static IEnumerable<string> Keys(string value) =>
        System.Text.RegularExpressions.Regex.Matches(value, @"(?:^|[;\s])\s*([A-Za-z][\w ]*?)\s*=").Select(m => m.Groups[1].Value.Trim().ToLowerInvariant());

    /// <summary>The password a database value carries, if any (so that it can be kept out of every output).</summary>
    public static string? PasswordOf(string value)
    {
        try
        {
            return IsPostgres(value) ? Parse(value).Builder.Password : null;
        }
        catch (StoreException)
        {
            return null;
        }
    }

    /// <summary>The value with any password removed, for a message about a value that did not parse.</summary>
    public static string Redact(string value)
    {
        var redacted = System.Text.RegularExpressions.Regex.Replace(value, @"(?i)(://[^:/@\s]*):[^@\s]*@", "$1:***@");
        // Npgsql's form ends a value at ';' (spaces are part of it), libpq's at a space unless quoted: take the longer.
        redacted = System.Text.RegularExpressions.Regex.Replace(redacted, @"(?i)\b(password|pwd)(\s*)=(\s*)('(?:[^'\\]|\\.)*'|[^;&]*)", "$1$2=$3***");
        return System.Text.RegularExpressions.Regex.Replace(redacted, @"(?i)([?&]password=)[^&]*", "$1***");
    }

    public override string ToString() => Display;
}
