namespace CreatorKeys.Core.Vault;

/// <summary>One stored API key. The value exists only as <see cref="Ciphertext"/>.</summary>
public sealed class ApiKey
{
    public const int MaxProviderNameLength = 80;
    public const int MaxLabelLength = 120;
    public const int MaxHintLength = 32;

    /// <summary>Maximum size of a value, in UTF-8 bytes (4 KB).</summary>
    public const int MaxValueBytes = 4096;

    public Guid Id { get; set; }

    public string AccountId { get; set; } = "";

    public string ProviderName { get; set; } = "";

    public VaultEnvironment Environment { get; set; }

    public string Label { get; set; } = "";

    /// <summary>Prefix and last four characters, e.g. <c>sk-…a1B2</c>; safe to show.</summary>
    public string Hint { get; set; } = "";

    /// <summary>HMAC-SHA256 of the value under a key derived from the vault key.</summary>
    public byte[] Fingerprint { get; set; } = [];

    /// <summary>The value sealed with AES-256-GCM under the environment's key, bound to this row.</summary>
    public byte[] Ciphertext { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}
