using System.Net.Http.Headers;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// One provider's documented read-only call that says how much a key has used: where it goes, how the key is sent,
/// and what the answer means. One class per provider, in <c>Core/Providers/&lt;Provider&gt;/</c>, registered beside
/// its key check; <see cref="SpendService"/> does the sending, the retries and the wording (as for a key check).
/// </summary>
public interface IProviderSpendReading
{
    /// <summary>The catalog id (<c>openrouter</c>, <c>elevenlabs</c> …); the same base address setting as the key check.</summary>
    string ProviderId { get; }

    /// <summary>The provider's documented API host, ending with a slash.</summary>
    Uri DocumentedBaseAddress { get; }

    /// <summary>The call's path relative to the base address. Never carries the key.</summary>
    string Path { get; }

    /// <summary>Puts the key on the request's headers.</summary>
    void Authorize(HttpRequestHeaders headers, string key);

    /// <summary>
    /// What the answer means: the figures (outcome <see cref="KeyCheckOutcome.Works"/>), a documented refusal, or null
    /// to let the service decide by status alone (401/403 refused, 429 too many, 5xx no answer, else unexpected).
    /// A working answer without the documented figures must be <see cref="SpendVerdict.Unexpected"/>, never zero.
    /// </summary>
    SpendVerdict? Read(ProviderAnswer answer);
}

/// <summary>What the figures count.</summary>
public enum SpendUnit
{
    /// <summary>US dollars (OpenRouter, OpenAI).</summary>
    Dollars,

    /// <summary>Characters of speech (ElevenLabs bills by characters, not dollars).</summary>
    Characters,
}

/// <summary>The period a provider's own limit covers.</summary>
public enum SpendPeriod
{
    Day,
    Week,
    Month,

    /// <summary>A limit that never resets: it covers everything the key ever used.</summary>
    Total,
}

/// <summary>
/// What a provider reported about one key's use: numbers only. <paramref name="UsedThisMonth"/> is the calendar (or
/// billing) month's use; <paramref name="ProviderLimit"/> is the limit the provider itself enforces on the key, with
/// how much of it is used over <paramref name="LimitPeriod"/>; null when the provider reports none.
/// </summary>
public sealed record SpendFigures(
    SpendUnit Unit,
    decimal UsedThisMonth,
    decimal? ProviderLimit = null,
    decimal? UsedAgainstLimit = null,
    SpendPeriod LimitPeriod = SpendPeriod.Month,
    DateTimeOffset? ResetsAt = null);

/// <summary>A provider's answer to a spend reading, before the service words it.</summary>
public sealed record SpendVerdict(KeyCheckOutcome Outcome, SpendFigures? Figures = null, string? CannotDo = null)
{
    public static SpendVerdict Unexpected { get; } = new(KeyCheckOutcome.Unexpected);

    public static SpendVerdict Refused { get; } = new(KeyCheckOutcome.Refused);

    public static SpendVerdict Read(SpendFigures figures) => new(KeyCheckOutcome.Works, figures);
}

/// <summary>
/// The result of one spend reading, in plain words like a key check's: the outcome, the figures when they were read,
/// and (for <see cref="KeyCheckOutcome.TooManyChecks"/>) the wait the provider asked for. Never a key value.
/// </summary>
public sealed record SpendReadResult(
    string ProviderId,
    KeyCheckOutcome Outcome,
    string Message,
    DateTimeOffset ReadAt,
    SpendFigures? Figures = null,
    int? HttpStatus = null,
    TimeSpan? RetryAfter = null)
{
    public bool HasFigures => Figures is not null;
}
