namespace CreatorKeys.Core.Providers.Connections;

/// <summary>What asking a provider about a key found out.</summary>
public enum KeyCheckOutcome
{
    /// <summary>The provider accepted the key.</summary>
    Works,

    /// <summary>The provider accepted the key, but it cannot do everything (a scoped key, no access to a product, no credit).</summary>
    Limited,

    /// <summary>The provider refused the key: revoked, deleted or mistyped.</summary>
    Refused,

    /// <summary>The provider did not answer, or answered with a server error, even after one retry.</summary>
    NoAnswer,

    /// <summary>The provider asked us to slow down (HTTP 429).</summary>
    TooManyChecks,

    /// <summary>The provider answered in a way its documentation does not describe.</summary>
    Unexpected,

    /// <summary>Nothing was sent: the value cannot travel in a request header (spaces, line breaks, accents).</summary>
    NotSent,

    /// <summary>Nothing was sent: this install has provider calls turned off, or the provider has no check.</summary>
    Unavailable,
}

/// <summary>A provider's verdict, before the service words it: the outcome and, for <see cref="KeyCheckOutcome.Limited"/>, what the key cannot do.</summary>
public sealed record KeyCheckVerdict(KeyCheckOutcome Outcome, string? CannotDo = null)
{
    public static KeyCheckVerdict Works { get; } = new(KeyCheckOutcome.Works);

    public static KeyCheckVerdict Refused { get; } = new(KeyCheckOutcome.Refused);

    public static KeyCheckVerdict Unexpected { get; } = new(KeyCheckOutcome.Unexpected);

    public static KeyCheckVerdict Limited(string cannotDo) => new(KeyCheckOutcome.Limited, cannotDo);
}

/// <summary>
/// The result of one key check, in plain words. Holds no key value: only the outcome, the provider, when, and
/// (for <see cref="KeyCheckOutcome.TooManyChecks"/>) how long the provider asked us to wait.
/// </summary>
public sealed record KeyCheckResult(
    string ProviderId,
    KeyCheckOutcome Outcome,
    string Message,
    DateTimeOffset CheckedAt,
    int? HttpStatus = null,
    TimeSpan? RetryAfter = null)
{
    /// <summary>True when the provider accepted the key (fully or in part).</summary>
    public bool KeyWorks => Outcome is KeyCheckOutcome.Works or KeyCheckOutcome.Limited;

    /// <summary>True when the provider said, with authority, that the key does not work.</summary>
    public bool KeyRefused => Outcome == KeyCheckOutcome.Refused;
}
