namespace BenchGate.Storage;

/// <summary>A database that cannot be used (locked, not a database, unreachable); the message is shown as is.</summary>
public sealed class StoreException : Exception
{
    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StoreException()
        : base("the database cannot be used")
    {
    }
}
