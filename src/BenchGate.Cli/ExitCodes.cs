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
}
