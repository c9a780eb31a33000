using BenchGate.Storage.Sqlite;
using BenchGate.Tests.Shared;

// SQLite runs in the tests as it runs in benchgate (multi-thread mode, statement journals in memory, no memory
// statistics): the library is configured before this assembly's first test opens a connection.
[assembly: AssemblyFixture(typeof(SqliteMode))]

namespace BenchGate.Tests.Shared;

/// <summary>Configures the SQLite library as the CLI does first thing (<see cref="SqliteLibrary.Configure"/>).</summary>
public sealed class SqliteMode
{
    public SqliteMode() => SqliteLibrary.Configure();
}
