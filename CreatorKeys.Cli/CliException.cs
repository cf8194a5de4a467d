namespace CreatorKeys.Cli;

/// <summary>
/// A failure the person can act on: <see cref="Exception.Message"/> is the one line printed (never a value or a
/// token) and <see cref="ExitCode"/> the process's exit code (see <see cref="ExitCodes"/>).
/// </summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CliException()
    {
    }

    public CliException(string message)
        : base(message) => ExitCode = ExitCodes.Usage;

    public CliException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.Unreachable;

    public int ExitCode { get; }
}

/// <summary>The exit codes; docs/cli.md lists them. <c>run</c> otherwise returns its program's own code.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary><c>diff --fail-on-missing</c>: the second environment lacks a name the first has.</summary>
    public const int Missing = 1;

    /// <summary>Wrong arguments, a token that is not a token, or plain http to a server that is not this computer.</summary>
    public const int Usage = 2;

    /// <summary>No address or no token for the environment asked for.</summary>
    public const int NotLoggedIn = 3;

    /// <summary>401: the token was refused.</summary>
    public const int Refused = 4;

    /// <summary>403: the token does not serve the environment asked for.</summary>
    public const int Forbidden = 5;

    /// <summary>429: too many requests with this token.</summary>
    public const int RateLimited = 6;

    /// <summary>The server could not be reached, or answered with something that is not the API.</summary>
    public const int Unreachable = 7;

    /// <summary><c>run</c>: the program could not be started (as in a shell).</summary>
    public const int CannotStart = 127;
}
