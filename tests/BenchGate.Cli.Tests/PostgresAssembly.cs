using BenchGate.Tests.Shared;

// One PostgreSQL server for all tests of this assembly; each test makes its own database on it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
