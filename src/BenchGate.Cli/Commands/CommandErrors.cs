using BenchGate.Ingest;
using BenchGate.Storage;

namespace BenchGate.Cli.Commands;

/// <summary>Turns the failures users can cause into one line on stderr and an exit code, never a stack trace.</summary>
internal static class CommandErrors
{
    public static int Run(CliContext context, Func<int> action, Action? onFailure = null)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IngestException or StoreException or Compare.CompareException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            onFailure?.Invoke();
            return ExitCodes.InputError;
        }
        catch (System.Data.Common.DbException e) when (context.Environment("BENCHGATE_DEBUG") is null)
        {
            // A database that is not what it claims (a column missing, a value of the wrong type) is bad input, not a crash.
            context.Error.WriteLine($"error: the database could not be read as expected: {e.Message.TrimEnd('.')}");
            onFailure?.Invoke();
            return ExitCodes.InputError;
        }
        catch (Exception e) when (context.Environment("BENCHGATE_DEBUG") is null)
        {
            context.Error.WriteLine($"internal error ({e.GetType().Name}): {e.Message}. Set BENCHGATE_DEBUG=1 for details and report it.");
            onFailure?.Invoke();
            return ExitCodes.InternalError;
        }
    }
}
