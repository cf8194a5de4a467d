using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.Anthropic;

/// <summary>
/// Anthropic's Admin API (an admin key as <c>x-api-key</c>, with <c>anthropic-version: 2023-06-01</c>) cannot create
/// keys: creation stays manual. Step 4 deactivates the old key: <c>POST /v1/organizations/api_keys/{api_key_id}</c>
/// <c>{"status": "inactive"}</c> answers the key with <c>status: "inactive"</c>.
/// </summary>
public sealed class AnthropicKeyRotation(ProviderApi api) : IProviderKeyRotation
{
    public string ProviderId => "anthropic";

    public Uri DocumentedBaseAddress { get; } = new("https://api.anthropic.com/");

    public bool CanCreate => false;

    public bool NeedsProject => false;

    public void Authorize(HttpRequestHeaders headers, string managementKey)
    {
        headers.Add("x-api-key", managementKey);
        headers.Add("anthropic-version", "2023-06-01");
    }

    public Task<ProviderResult<IReadOnlyList<ProviderProject>>> ListProjectsAsync(string managementKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderResult<IReadOnlyList<ProviderProject>>([], null));

    public Task<ProviderResult<ProviderKeyCreated>> CreateAsync(string managementKey, ProviderKeyRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderResult<ProviderKeyCreated>(default, ProviderFailure.NotSent));

    public Task<ProviderResult<decimal?>> ReadLimitAsync(string managementKey, string providerKeyId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderResult<decimal?>(default, ProviderFailure.NotSent));

    public async Task<ProviderResult<bool>> RetireAsync(string managementKey, string providerKeyId, string? projectId, CancellationToken cancellationToken = default)
    {
        var (answer, failure) = await api.SendAsync(
            this, HttpMethod.Post, $"v1/organizations/api_keys/{ProviderApi.Segment(providerKeyId)}", managementKey, new UpdateBody("inactive"), cancellationToken);
        if (failure is { } failed)
        {
            return new ProviderResult<bool>(default, failed, answer is null ? null : (int)answer.Status);
        }

        return answer!.Text("status") is "inactive" or "archived"
            ? new ProviderResult<bool>(true, null)
            : new ProviderResult<bool>(default, ProviderFailure.Unexpected, (int)answer.Status);
    }

    private sealed record UpdateBody([property: JsonPropertyName("status")] string Status);
}
