namespace CreatorKeys.Core.Vault;

/// <summary>What the vault shows about a key without unlocking it: never the value.</summary>
public sealed record KeySummary(
    Guid Id,
    string ProviderName,
    VaultEnvironment Environment,
    string Label,
    string Hint,
    DateTimeOffset CreatedAt);

/// <summary>The outcome of adding a key: the stored key, or messages for the fields that need fixing.</summary>
public sealed record AddKeyResult(KeySummary? Key, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Key is not null;
}
