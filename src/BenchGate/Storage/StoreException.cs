namespace BenchGate.Storage;

/// <summary>A database that cannot be used (locked, not a database, unreachable, not BenchGate's).</summary>
public sealed class StoreException : BenchGateException
{
    public StoreException(string message)
        : base(message, null, null, null)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, null, null, innerException)
    {
    }

    public StoreException()
        : this("the database cannot be used")
    {
    }
}
