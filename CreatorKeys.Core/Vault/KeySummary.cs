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
    DateTimeOffset? IssuedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Guid SlotId = default,
    DateTimeOffset? CompromisedAt = null,
    int RotationDays = 0,
    DateOnly? DueOn = null,
    DateTimeOffset? DueNowSince = null,
    bool IsManagementKey = false,
    string? ProviderKeyId = null,
    string? ProviderProjectId = null,
    string? ExportName = null,
    bool IsMock = false)
{
    /// <summary>The name programs read the key under: its own, or its service's default (<c>OPENAI_API_KEY</c>).</summary>
    public string NameForPrograms => ExportName ?? ExportNames.DefaultFor(ProviderId, ProviderName);

    public bool IsCurrent => Status == KeyStatus.Current;

    public bool IsCompromised => CompromisedAt is not null || Status == KeyStatus.Compromised;

    /// <summary>Whole days since the provider created the key; null when that date is unknown.</summary>
    public int? AgeInDays(DateTimeOffset now) => IssuedAt is { } issued ? Math.Max(0, (int)(now - issued).TotalDays) : null;
}

/// <summary>
/// The outcome of adding or changing a key: the key, or messages for the fields that need
/// fixing; plus warnings that do not stop the change (a name without a date, a value that
/// does not look like the chosen provider's keys).
/// </summary>
public sealed record KeyChangeResult(KeySummary? Key, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Key is not null;

    /// <summary>
    /// Set, with nothing stored, when the value does not look like the chosen provider's keys:
    /// ask the creator, and call again with <c>acceptShapeWarning</c> to store it anyway.
    /// </summary>
    public string? ShapeWarning { get; init; }

    public static KeyChangeResult Invalid(IReadOnlyDictionary<string, string> errors) => new(null, errors, []);

    public static KeyChangeResult Invalid(string field, string message) => new(null, new Dictionary<string, string> { [field] = message }, []);

    public static KeyChangeResult NeedsConfirmation(string shapeWarning) => new(null, new Dictionary<string, string>(), []) { ShapeWarning = shapeWarning };
}

/// <summary>
/// A key's page from the database (<see cref="VaultService.ReadKeyAsync"/>): every version of its slot, newest first
/// (empty when the account has no such key), and the key's last kept check verdict and spend figures against its cap, if any.
/// </summary>
public sealed record KeyDetails(IReadOnlyList<KeySummary> Versions, Providers.Connections.KeyCheckRecord? LastCheck, Providers.Connections.SpendStanding? Spend);
