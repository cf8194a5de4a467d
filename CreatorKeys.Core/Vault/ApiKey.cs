namespace CreatorKeys.Core.Vault;

/// <summary>One stored API key. The value exists only as <see cref="Ciphertext"/>.</summary>
public sealed class ApiKey
{
    public const int MaxProviderNameLength = 80;
    public const int MaxLabelLength = 120;
    public const int MaxHintLength = 32;
    public const int MaxExportNameLength = 64;
    public const int MaxProviderKeyIdLength = 200;

    /// <summary>Maximum size of a value, in UTF-8 bytes (4 KB).</summary>
    public const int MaxValueBytes = 4096;

    public Guid Id { get; set; }

    /// <summary>Shared by every version of one key: the original and each key that replaced it in a rotation.</summary>
    public Guid SlotId { get; set; }

    public string AccountId { get; set; } = "";

    /// <summary>The catalog or custom provider this key belongs to, when it is one the app knows.</summary>
    public string? ProviderId { get; set; }

    /// <summary>The provider's name as shown; kept even for services outside the catalog.</summary>
    public string ProviderName { get; set; } = "";

    public VaultEnvironment Environment { get; set; }

    public string Label { get; set; } = "";

    /// <summary>
    /// The name programs read the key under (<c>OPENAI_API_KEY</c>), the same in every environment; unique among the
    /// keys in use of one environment. Null on keys stored before export names existed: they use their provider's
    /// default (<see cref="ExportNames.DefaultFor(string?, string)"/>).
    /// </summary>
    public string? ExportName { get; set; }

    /// <summary>True when the access-token API hands out a fake value for this key even in a Live environment.</summary>
    public bool IsMock { get; set; }

    /// <summary>Prefix and last four characters, e.g. <c>sk-…a1B2</c>; safe to show.</summary>
    public string Hint { get; set; } = "";

    /// <summary>HMAC-SHA256 of the value under a key derived from the vault key.</summary>
    public byte[] Fingerprint { get; set; } = [];

    /// <summary>The value sealed with AES-256-GCM under the environment's key, bound to this row.</summary>
    public byte[] Ciphertext { get; set; } = [];

    /// <summary>The monthly spend cap the creator set (or plans to set) at the provider, in US dollars; null for none.</summary>
    public decimal? MonthlyCapUsd { get; set; }

    /// <summary>The creator ticked "I set this cap at the provider".</summary>
    public bool CapSetAtProvider { get; set; }

    public KeyStatus Status { get; set; } = KeyStatus.Current;

    /// <summary>
    /// A management or admin key (OpenRouter provisioning key, OpenAI / Anthropic / ElevenLabs admin key): kept in
    /// PROD only, never offered to a workflow or exported, used only to create and delete keys at the provider.
    /// </summary>
    public bool IsManagementKey { get; set; }

    /// <summary>
    /// The provider's own id for this key, never its value (OpenRouter <c>hash</c>, OpenAI service account id
    /// <c>svc_acct_…</c> or project key id <c>key_…</c>, Anthropic <c>apikey_…</c>): what rotation deletes at the end.
    /// </summary>
    public string? ProviderKeyId { get; set; }

    /// <summary>OpenAI: the project the key belongs to (<c>proj_…</c>), chosen once per key.</summary>
    public string? ProviderProjectId { get; set; }

    /// <summary>When the provider created the key; null when unknown (imported), which counts as due for replacement.</summary>
    public DateTimeOffset? IssuedAt { get; set; }

    /// <summary>When the key was stored in the vault.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>When the creator marked the key as leaked or possibly leaked.</summary>
    public DateTimeOffset? CompromisedAt { get; set; }

    /// <summary>When this key became current by completing a rotation.</summary>
    public DateTimeOffset? RotatedInAt { get; set; }

    /// <summary>
    /// The key's rotation policy: replace it this many days after the provider created it
    /// (PROD: 60–90 is the usual advice; DEV and STAGING: the longest it may live). Zero means
    /// "the environment's default from settings" and is filled in when the key is saved.
    /// </summary>
    public int RotationDays { get; set; }

    /// <summary>Set when the creator finished a test cycle: the key is due from that day.</summary>
    public DateTimeOffset? DueNowSince { get; set; }

    /// <summary>
    /// The calendar day the key is due for rotation in the configured time zone; null when the
    /// key is not in use. Kept up to date on every save by <c>RotationScheduleInterceptor</c>.
    /// </summary>
    public DateOnly? DueOn { get; set; }
}

/// <summary>Where a key is in its life. Rotation adds pending and previous versions.</summary>
public enum KeyStatus
{
    /// <summary>In use: the key workflows should have.</summary>
    Current,

    /// <summary>Created during a rotation, not yet in every workflow.</summary>
    Pending,

    /// <summary>Replaced by a rotation; kept as history until deleted at the provider.</summary>
    Previous,

    /// <summary>No longer used; kept so its name and history stay on record.</summary>
    Retired,

    /// <summary>Known or suspected to have leaked.</summary>
    Compromised,
}
