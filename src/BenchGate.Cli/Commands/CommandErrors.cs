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
        catch (Exception e) when (e is BenchGateException or IOException or UnauthorizedAccessException
            || (ExitCodes.For(e) != ExitCodes.InternalError && context.Environment("BENCHGATE_DEBUG") is null))
        {
            context.Error.WriteLine($"error: {Message(e)}");
            onFailure?.Invoke();
            return ExitCodes.For(e);
        }
        catch (Exception e) when (context.Environment("BENCHGATE_DEBUG") is null)
        {
            context.Error.WriteLine($"internal error ({e.GetType().Name}): {e.Message}. Set BENCHGATE_DEBUG=1 for details and report it.");
            onFailure?.Invoke();
            return ExitCodes.InternalError;
        }
    }

    private static string Message(Exception e) => e switch
    {
        // A file option given an empty or impossible name ('' or a name with a NUL byte).
        ArgumentException a => $"a file name is empty or not valid ({a.Message.Split(" (Parameter", 2)[0].TrimEnd('.')})",
        // A database that is not what it claims (a column missing, a value of the wrong type) is bad input, not a crash.
        System.Data.Common.DbException db => $"the database could not be read as expected: {db.Message.TrimEnd('.')}",
        _ => e.Message,
    };
}
