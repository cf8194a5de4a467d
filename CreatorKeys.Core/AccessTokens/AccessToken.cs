using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.AccessTokens;

/// <summary>
/// A read-only access token: lets one program read the keys of one environment. The server keeps a hash of the
/// token's secret and a copy of the environment's key sealed under a key derived from that secret; never the secret.
/// </summary>
public sealed class AccessToken
{
    public const int MaxNameLength = 80;

    /// <summary>The token's id, also the <c>&lt;id&gt;</c> part of its text (lower-case letters and digits).</summary>
    public string Id { get; set; } = "";

    public string AccountId { get; set; } = "";

    public VaultEnvironment Environment { get; set; }

    /// <summary>What the creator called it ("n8n on laptop").</summary>
    public string Name { get; set; } = "";

    /// <summary>HKDF-SHA256 of the token's secret (purpose "verifier"): enough to check a secret, never to rebuild it.</summary>
    public byte[] SecretHash { get; set; } = [];

    /// <summary>The environment's key sealed (AES-256-GCM) under HKDF(secret, "seal"), bound to account, token and environment.</summary>
    public byte[] SealedEnvironmentKey { get; set; } = [];

    /// <summary>The keys (slot ids) the token may read, comma-separated; null for every key of the environment.</summary>
    public string? KeySlots { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null for a token that never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The network address of the last use.</summary>
    public string? LastUsedFrom { get; set; }

    public IReadOnlyList<Guid>? Slots() =>
        KeySlots is null ? null : KeySlots.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList();

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>How long a new token lives.</summary>
public enum TokenLifetime
{
    Days30 = 30,
    Days90 = 90,
    Days365 = 365,
    Never = 0,
}
