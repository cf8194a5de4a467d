using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.OpenRouter;

/// <summary>
/// OpenRouter's key management API, with a management (provisioning) key as <c>Authorization: Bearer</c>:
/// <c>POST /api/v1/keys</c> <c>{name, limit, limit_reset}</c> answers <c>{data: {hash, limit …}, key}</c> (the value,
/// once); <c>GET /api/v1/keys/{hash}</c> answers <c>{data: {limit …}}</c>; <c>DELETE /api/v1/keys/{hash}</c> answers
/// <c>{deleted: true}</c>.
/// </summary>
public sealed class OpenRouterKeyRotation(ProviderApi api) : IProviderKeyRotation
{
    public string ProviderId => "openrouter";

    public Uri DocumentedBaseAddress { get; } = new("https://openrouter.ai/");

    public bool CanCreate => true;

    public bool NeedsProject => false;

    public void Authorize(HttpRequestHeaders headers, string managementKey) => headers.Authorization = new AuthenticationHeaderValue("Bearer", managementKey);

    public Task<ProviderResult<IReadOnlyList<ProviderProject>>> ListProjectsAsync(string managementKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderResult<IReadOnlyList<ProviderProject>>([], null));

    public async Task<ProviderResult<ProviderKeyCreated>> CreateAsync(string managementKey, ProviderKeyRequest request, CancellationToken cancellationToken = default)
    {
        var body = new CreateBody(request.Name, request.Limit, request.Limit is null ? null : "monthly");
        var (answer, failure) = await api.SendAsync(this, HttpMethod.Post, "api/v1/keys", managementKey, body, cancellationToken);
        if (failure is { } failed)
        {
            return new ProviderResult<ProviderKeyCreated>(default, failed, Status(answer));
        }

        return answer!.Text("key") is { Length: > 0 } value && answer.Text("data", "hash") is { Length: > 0 } hash
            ? new ProviderResult<ProviderKeyCreated>(new ProviderKeyCreated(hash, value, null), null)
            : new ProviderResult<ProviderKeyCreated>(default, ProviderFailure.Unexpected, Status(answer));
    }

    public async Task<ProviderResult<decimal?>> ReadLimitAsync(string managementKey, string providerKeyId, CancellationToken cancellationToken = default)
    {
        var (answer, failure) = await api.SendAsync(this, HttpMethod.Get, $"api/v1/keys/{ProviderApi.Segment(providerKeyId)}", managementKey, null, cancellationToken);
        if (failure is { } failed)
        {
            return new ProviderResult<decimal?>(default, failed, Status(answer));
        }

        return answer!.HasObject("data")
            ? new ProviderResult<decimal?>(answer.Number("data", "limit"), null)
            : new ProviderResult<decimal?>(default, ProviderFailure.Unexpected, Status(answer));
    }

    public async Task<ProviderResult<bool>> RetireAsync(string managementKey, string providerKeyId, string? projectId, CancellationToken cancellationToken = default)
    {
        var (answer, failure) = await api.SendAsync(this, HttpMethod.Delete, $"api/v1/keys/{ProviderApi.Segment(providerKeyId)}", managementKey, null, cancellationToken);
        return failure switch
        {
            null => new ProviderResult<bool>(true, null),
            ProviderFailure.NotFound => new ProviderResult<bool>(false, null),
            { } failed => new ProviderResult<bool>(default, failed, Status(answer)),
        };
    }

    private static int? Status(ProviderAnswer? answer) => answer is null ? null : (int)answer.Status;

    private sealed record CreateBody(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("limit")] decimal? Limit,
        [property: JsonPropertyName("limit_reset")] string? LimitReset);
}
