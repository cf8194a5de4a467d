using System.Net.Http.Headers;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// One provider's documented key-management calls, made with the creator's management or admin key: create the
/// rotation's new key, read its limit back, and delete (or deactivate) the old one. One class per provider, in
/// <c>Core/Providers/&lt;Provider&gt;/</c>; <see cref="ProviderApi"/> does the sending through the shared HttpClient.
/// Ids go in addresses; key values only in headers and bodies.
/// </summary>
public interface IProviderKeyRotation
{
    /// <summary>The catalog id (<c>openrouter</c>, <c>openai</c> …).</summary>
    string ProviderId { get; }

    /// <summary>The provider's documented API host, ending with a slash.</summary>
    Uri DocumentedBaseAddress { get; }

    /// <summary>Whether the API can create a key (Anthropic's cannot: creation stays manual there).</summary>
    bool CanCreate { get; }

    /// <summary>Whether a key lives in a project chosen once per key (OpenAI's project, ElevenLabs' service account).</summary>
    bool NeedsProject { get; }

    /// <summary>What the provider calls the place a key lives in, for the page: "project" (OpenAI), "service account" (ElevenLabs).</summary>
    string ProjectNoun => "project";

    /// <summary>The unit of the limit a created key takes: dollars (OpenRouter) or characters (ElevenLabs).</summary>
    SpendUnit LimitUnit => SpendUnit.Dollars;

    /// <summary>
    /// Why the provider refused with <see cref="ProviderFailure.NotOffered"/>, in plain words (ElevenLabs: only
    /// workspaces have service accounts); null for a provider that never answers so.
    /// </summary>
    string? NotOfferedText => null;

    /// <summary>Puts the management key (and any version header) on a request.</summary>
    void Authorize(HttpRequestHeaders headers, string managementKey);

    /// <summary>The projects a new key can go in (OpenAI); empty for a provider without projects.</summary>
    Task<ProviderResult<IReadOnlyList<ProviderProject>>> ListProjectsAsync(string managementKey, CancellationToken cancellationToken = default);

    /// <summary>Creates a key named <see cref="ProviderKeyRequest.Name"/>; the value comes back once, in the result only.</summary>
    Task<ProviderResult<ProviderKeyCreated>> CreateAsync(string managementKey, ProviderKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>The spend limit the provider holds for a key, read back after creating it; null result value when it has none.</summary>
    Task<ProviderResult<decimal?>> ReadLimitAsync(string managementKey, string providerKeyId, CancellationToken cancellationToken = default);

    /// <summary>Deletes (or deactivates) a key by its provider id. True: done now; false: it was already gone.</summary>
    Task<ProviderResult<bool>> RetireAsync(string managementKey, string providerKeyId, string? projectId, CancellationToken cancellationToken = default);
}

/// <summary>What to create: the dated label as the key's name, the key's cap where the provider takes one, the project (OpenAI).</summary>
public sealed record ProviderKeyRequest(string Name, decimal? Limit, string? ProjectId)
{
    /// <summary>A monthly limit in characters, for a provider whose keys take one (ElevenLabs); never a converted dollar cap.</summary>
    public long? CharacterLimit { get; init; }

    /// <summary>The provider's id of the key being replaced, so the new key can copy its permissions (ElevenLabs).</summary>
    public string? ReplacesKeyId { get; init; }
}

/// <summary>A project a key can be created in (OpenAI).</summary>
public sealed record ProviderProject(string Id, string Name);

/// <summary>A key just created at the provider: its id (kept) and its value (stored in the vault, never logged).</summary>
public sealed class ProviderKeyCreated(string keyId, string value, string? projectId)
{
    public string KeyId { get; } = keyId;

    public string Value { get; } = value;

    public string? ProjectId { get; } = projectId;

    /// <summary>Never the value: this object may end up in a log or a debugger's watch.</summary>
    public override string ToString() => $"key {KeyId}";
}

/// <summary>Why a call did not do what was asked.</summary>
public enum ProviderFailure
{
    /// <summary>No answer (timeout, connection lost, 5xx): the provider may or may not have done it.</summary>
    NoAnswer,

    /// <summary>401/403: the management key was refused or lacks the right.</summary>
    Refused,

    /// <summary>404: the key or project is not there.</summary>
    NotFound,

    /// <summary>429: too many calls.</summary>
    TooMany,

    /// <summary>Any other answer, or one CreatorKeys cannot read: nothing is known to have happened.</summary>
    Unexpected,

    /// <summary>Calls are off on this install, or the provider has no such call: nothing was sent.</summary>
    NotSent,

    /// <summary>The provider offers key management only to some accounts (ElevenLabs: workspaces), and this is not one.</summary>
    NotOffered,
}

/// <summary>A call's result, or why it failed (with the HTTP status when there was one).</summary>
public sealed record ProviderResult<T>(T? Value, ProviderFailure? Failure, int? Status = null)
{
    public bool Succeeded => Failure is null;
}
