using BenchGate.Storage.Postgres;
using BenchGate.Storage.Sqlite;

namespace BenchGate.Storage;

/// <summary>What a location names, as far as it can be told without opening it.</summary>
public enum LocationKind
{
    /// <summary>A PostgreSQL URL or connection string.</summary>
    Postgres,

    /// <summary>An existing file with SQLite's header.</summary>
    SqliteFile,

    /// <summary>An existing file of another kind: llama-bench output that ingest reads.</summary>
    ResultsFile,

    /// <summary>No such file yet (a SQLite database is created there by commands that write).</summary>
    Missing,
}

/// <summary>
/// The one answer to "is it PostgreSQL, a SQLite file or a results file?" for a --database, --baseline or --current
/// value, and the one way to open it, name it in messages (never with a password) and tell whether two values name
/// the same database.
/// </summary>
public sealed class StoreLocation
{
    private StoreLocation(string value, LocationKind kind)
    {
        Value = value;
        Kind = kind;
    }

    /// <summary>The location as the user gave it (it may hold a password: show <see cref="Display"/>).</summary>
    public string Value { get; }

    public LocationKind Kind { get; }

    /// <summary>A database BenchGate (or llama-bench) can open as a store: PostgreSQL or an existing SQLite file.</summary>
    public bool IsDatabase => Kind is LocationKind.Postgres or LocationKind.SqliteFile;

    public bool IsPostgres => Kind == LocationKind.Postgres;

    /// <summary>Whether it names something that exists (a server database always answers for itself).</summary>
    public bool Exists => Kind != LocationKind.Missing;

    /// <summary>How messages name it: a file as given, a server without its password.</summary>
    public string Display => IsPostgres ? ResultStores.Describe(Value) : Value;

    /// <summary>Looks at the value now: a file's kind is read from its header.</summary>
    public static StoreLocation Of(string value) => new(value,
        PostgresLocation.IsPostgres(value) ? LocationKind.Postgres
        : !File.Exists(value) ? LocationKind.Missing
        : HasSqliteHeader(value) ? LocationKind.SqliteFile
        : LocationKind.ResultsFile);

    /// <summary>Opens the store; <paramref name="create"/> makes a missing SQLite file (commands that write).</summary>
    public IResultStore Open(bool create = true) =>
        IsPostgres ? PostgresResultStore.Open(Value) : SqliteResultStore.Open(Value, create);

    /// <summary>
    /// Whether both values name one database: the same server, database, user and options (two search paths are two
    /// databases here; the password does not count), or the same file by full path.
    /// </summary>
    public bool SameAs(StoreLocation other) =>
        IsPostgres || other.IsPostgres
            ? IsPostgres && other.IsPostgres && Identity(Value) == Identity(other.Value)
            : Path.GetFullPath(Value) == Path.GetFullPath(other.Value);

    public override string ToString() => Display;

    // A file that cannot be read is not a database here; opening it says why, with its name.
    private static bool HasSqliteHeader(string path)
    {
        try
        {
            return InputFiles.IsSqliteFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Identity(string value)
    {
        try
        {
            var b = PostgresLocation.Parse(value).Builder;
            return $"{b.Host}:{b.Port}/{b.Database}?user={b.Username}&options={b.Options}&search_path={b.SearchPath}";
        }
        catch (StoreException)
        {
            // Not parseable: it names no database, and opening it will say so.
            return PostgresLocation.Redact(value);
        }
    }
}
