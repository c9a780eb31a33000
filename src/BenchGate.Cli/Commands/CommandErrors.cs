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
        catch (ArgumentException e) when (e.ParamName is "path" or "path1" or "path2" or "fileName" or "directory" && context.Environment("BENCHGATE_DEBUG") is null)
        {
            // A file option given an empty or impossible name ('' or a name with a NUL byte).
            context.Error.WriteLine($"error: a file name is empty or not valid ({e.Message.Split(" (Parameter", 2)[0].TrimEnd('.')})");
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
