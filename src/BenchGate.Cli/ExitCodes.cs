namespace BenchGate.Cli;

/// <summary>Exit codes shared by every command (documented in --help and the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A regression was found (detect, compare, ci).</summary>
    public const int Regression = 1;

    /// <summary>Bad usage or bad input: missing file, unreadable or invalid data, unusable database.</summary>
    public const int InputError = 2;

    /// <summary>The data cannot tell (with --fail-on-inconclusive).</summary>
    public const int Inconclusive = 3;

    /// <summary>A bug in BenchGate: the message says what failed.</summary>
    public const int InternalError = 70;

    /// <summary>A gate's outcome as its exit code.</summary>
    public static int For(Workflows.GateOutcome outcome) => outcome switch
    {
        Workflows.GateOutcome.Regression => Regression,
        Workflows.GateOutcome.Inconclusive => Inconclusive,
        _ => Ok,
    };

    /// <summary>
    /// The one place a failure becomes an exit code. Every user-caused failure is 2, as the spec's scripts exit on bad
    /// input; the kinds stay apart so that a CI job (or a later release) can tell them apart by type, not by text.
    /// </summary>
    public static int For(Exception failure) => failure switch
    {
        InputException or ConfigException or ExternalToolException or Storage.StoreException => InputError,
        IOException or UnauthorizedAccessException or System.Data.Common.DbException => InputError,
        ArgumentException { ParamName: "path" or "path1" or "path2" or "fileName" or "directory" } => InputError,
        _ => InternalError,
    };
}
