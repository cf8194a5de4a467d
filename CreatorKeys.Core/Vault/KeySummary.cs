namespace CreatorKeys.Core.Vault;

/// <summary>What the vault shows about a key without unlocking it: never the value.</summary>
public sealed record KeySummary(
    Guid Id,
    string? ProviderId,
    string ProviderName,
    VaultEnvironment Environment,
    string Label,
    string Hint,
    decimal? MonthlyCapUsd,
    bool CapSetAtProvider,
    KeyStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool IsCurrent => Status == KeyStatus.Current;

    /// <summary>Whole days since the key was stored.</summary>
    public int AgeInDays(DateTimeOffset now) => Math.Max(0, (int)(now - CreatedAt).TotalDays);
}

/// <summary>
/// The outcome of adding or changing a key: the key, or messages for the fields that need
/// fixing; plus warnings that do not stop the change (a name without a date, a value that
/// does not look like the chosen provider's keys).
/// </summary>
public sealed record KeyChangeResult(KeySummary? Key, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Key is not null;

    public static KeyChangeResult Invalid(IReadOnlyDictionary<string, string> errors) => new(null, errors, []);

    public static KeyChangeResult Invalid(string field, string message) => new(null, new Dictionary<string, string> { [field] = message }, []);
}
