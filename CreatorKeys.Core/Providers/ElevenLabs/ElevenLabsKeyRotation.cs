using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.ElevenLabs;

/// <summary>
/// ElevenLabs' service accounts, with a workspace admin's key as <c>xi-api-key</c>. Only multi-seat workspaces have
/// them ("Service Accounts are currently only available for multi-seat customers, and only Workspace admins can use
/// this feature"). <c>GET /v1/service-accounts</c> answers <c>{"service-accounts": [{service_account_user_id, name,
/// "api-keys": [{key_id, permissions, character_limit …}]}]}</c>; <c>POST /v1/service-accounts/{id}/api-keys</c>
/// <c>{name, permissions, character_limit}</c> answers <c>{"xi-api-key", key_id}</c> (the value, once);
/// <c>DELETE /v1/service-accounts/{id}/api-keys/{api_key_id}</c> deletes a key. The service account plays the part
/// of OpenAI's project: chosen once per key. The limit is in characters a month, never a converted dollar cap.
/// </summary>
public sealed class ElevenLabsKeyRotation(ProviderApi api) : IProviderKeyRotation
{
    private const string ServiceAccounts = "service-accounts";
    private const string ApiKeys = "api-keys";

    public string ProviderId => "elevenlabs";

    public Uri DocumentedBaseAddress { get; } = new("https://api.elevenlabs.io/");

    public bool CanCreate => true;

    public bool NeedsProject => true;

    public string ProjectNoun => "service account";

    public SpendUnit LimitUnit => SpendUnit.Characters;

    public string NotOfferedText =>
        "ElevenLabs offers service-account keys only to workspaces (plans with several seats), and only a workspace admin can manage them. " +
        "This account is not one, so create and delete ElevenLabs keys by hand on its API keys page, as below.";

    public void Authorize(HttpRequestHeaders headers, string managementKey) => headers.Add("xi-api-key", managementKey);

    public async Task<ProviderResult<IReadOnlyList<ProviderProject>>> ListProjectsAsync(string managementKey, CancellationToken cancellationToken = default)
    {
        var (accounts, failure, status) = await ListAsync(managementKey, cancellationToken);
        if (failure is { } failed)
        {
            return new ProviderResult<IReadOnlyList<ProviderProject>>(default, failed, status);
        }

        var projects = new List<ProviderProject>();
        foreach (var account in accounts!.Value.EnumerateArray())
        {
            if (Text(account, "service_account_user_id") is { Length: > 0 } id)
            {
                projects.Add(new ProviderProject(id, Text(account, "name") ?? id));
            }
        }

        return new ProviderResult<IReadOnlyList<ProviderProject>>(projects, null);
    }

    public async Task<ProviderResult<ProviderKeyCreated>> CreateAsync(string managementKey, ProviderKeyRequest request, CancellationToken cancellationToken = default)
    {
        if (request.ProjectId is not { Length: > 0 } serviceAccount)
        {
            return new ProviderResult<ProviderKeyCreated>(default, ProviderFailure.NotSent);
        }

        // ElevenLabs' own advice when rotating: copy the old key's permissions so no access is lost. A safe GET first;
        // if it fails, nothing has been created, so its failure is never reported as "no answer to the create".
        object permissions = "all";
        if (request.ReplacesKeyId is { Length: > 0 } oldId)
        {
            var (accounts, failure, status) = await ListAsync(managementKey, cancellationToken);
            if (failure is { } failed)
            {
                return new ProviderResult<ProviderKeyCreated>(default, failed == ProviderFailure.NoAnswer ? ProviderFailure.Unexpected : failed, status);
            }

            if (FindKey(accounts!.Value, oldId) is { } old && old.TryGetProperty("permissions", out var listed) && listed.ValueKind == JsonValueKind.Array)
            {
                var names = listed.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!).ToList();
                if (names.Count > 0)
                {
                    permissions = names;
                }
            }
        }

        var (answer, createFailure) = await api.SendAsync(
            this, HttpMethod.Post, $"v1/{ServiceAccounts}/{ProviderApi.Segment(serviceAccount)}/{ApiKeys}", managementKey,
            new CreateBody(request.Name, permissions, request.CharacterLimit), cancellationToken);
        if (createFailure is { } createFailed)
        {
            return new ProviderResult<ProviderKeyCreated>(default, Refine(createFailed, answer), Status(answer));
        }

        return answer!.Text("xi-api-key") is { Length: > 0 } value && answer.Text("key_id") is { Length: > 0 } keyId
            ? new ProviderResult<ProviderKeyCreated>(new ProviderKeyCreated(keyId, value, serviceAccount), null)
            : new ProviderResult<ProviderKeyCreated>(default, ProviderFailure.Unexpected, Status(answer));
    }

    /// <summary>The key's <c>character_limit</c> as ElevenLabs lists it (null: no limit).</summary>
    public async Task<ProviderResult<decimal?>> ReadLimitAsync(string managementKey, string providerKeyId, CancellationToken cancellationToken = default)
    {
        var (accounts, failure, status) = await ListAsync(managementKey, cancellationToken);
        if (failure is { } failed)
        {
            return new ProviderResult<decimal?>(default, failed, status);
        }

        if (FindKey(accounts!.Value, providerKeyId) is not { } key)
        {
            return new ProviderResult<decimal?>(default, ProviderFailure.NotFound);
        }

        return key.TryGetProperty("character_limit", out var limit) && limit.ValueKind == JsonValueKind.Number && limit.TryGetDecimal(out var characters)
            ? new ProviderResult<decimal?>(characters, null)
            : new ProviderResult<decimal?>(null, null);
    }

    public async Task<ProviderResult<bool>> RetireAsync(string managementKey, string providerKeyId, string? projectId, CancellationToken cancellationToken = default)
    {
        if (projectId is not { Length: > 0 } serviceAccount)
        {
            return new ProviderResult<bool>(default, ProviderFailure.NotSent);
        }

        var (answer, failure) = await api.SendAsync(
            this, HttpMethod.Delete, $"v1/{ServiceAccounts}/{ProviderApi.Segment(serviceAccount)}/{ApiKeys}/{ProviderApi.Segment(providerKeyId)}", managementKey, null, cancellationToken);
        return failure switch
        {
            null => new ProviderResult<bool>(true, null),
            ProviderFailure.NotFound => new ProviderResult<bool>(false, null),
            { } failed => new ProviderResult<bool>(default, Refine(failed, answer), Status(answer)),
        };
    }

    /// <summary>The workspace's service accounts (the array), or why not.</summary>
    private async Task<(JsonElement? Accounts, ProviderFailure? Failure, int? Status)> ListAsync(string managementKey, CancellationToken cancellationToken)
    {
        var (answer, failure) = await api.SendAsync(this, HttpMethod.Get, $"v1/{ServiceAccounts}", managementKey, null, cancellationToken);
        if (failure is { } failed)
        {
            return (null, Refine(failed, answer), Status(answer));
        }

        return answer!.HasArray(ServiceAccounts)
            ? (answer.Json!.Value.GetProperty(ServiceAccounts), null, null)
            : (null, ProviderFailure.Unexpected, Status(answer));
    }

    /// <summary>
    /// A refusal of the admin key itself (401 <c>invalid_api_key</c>) or of a restricted key (401
    /// <c>missing_permissions</c>) stays a refusal; any other 401/403 means the key works but its account may not
    /// manage service accounts: a single-seat account, or a member who is not a workspace admin. ElevenLabs does not
    /// document that answer's exact status, so it is recognised by what it is not.
    /// </summary>
    private static ProviderFailure Refine(ProviderFailure failure, ProviderAnswer? answer) =>
        failure == ProviderFailure.Refused && answer?.Text("detail", "status") is not ("invalid_api_key" or "missing_permissions") ? ProviderFailure.NotOffered : failure;

    private static JsonElement? FindKey(JsonElement accounts, string keyId)
    {
        foreach (var account in accounts.EnumerateArray())
        {
            if (account.ValueKind == JsonValueKind.Object && account.TryGetProperty(ApiKeys, out var keys) && keys.ValueKind == JsonValueKind.Array)
            {
                foreach (var key in keys.EnumerateArray())
                {
                    if (Text(key, "key_id") == keyId)
                    {
                        return key;
                    }
                }
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Status(ProviderAnswer? answer) => answer is null ? null : (int)answer.Status;

    private sealed record CreateBody(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("permissions")] object Permissions,
        [property: JsonPropertyName("character_limit")] long? CharacterLimit);
}
