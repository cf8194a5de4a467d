using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.OpenAi;

/// <summary>
/// OpenAI's Admin API, with an admin key as <c>Authorization: Bearer</c>. A new key is a project service account's
/// key: <c>POST /v1/organization/projects/{project_id}/service_accounts</c> <c>{name}</c> answers
/// <c>{id: "svc_acct_…", api_key: {id: "key_…", value}}</c> (the value, once). Step 4 deletes the old service account
/// (<c>DELETE …/service_accounts/{id}</c>) or, for a project key (<c>key_…</c>), <c>DELETE …/api_keys/{id}</c>.
/// Projects: <c>GET /v1/organization/projects</c>. OpenAI keys take no spend limit through this call.
/// </summary>
public sealed class OpenAiKeyRotation(ProviderApi api) : IProviderKeyRotation
{
    public string ProviderId => "openai";

    public Uri DocumentedBaseAddress { get; } = new("https://api.openai.com/");

    public bool CanCreate => true;

    public bool NeedsProject => true;

    public void Authorize(HttpRequestHeaders headers, string managementKey) => headers.Authorization = new AuthenticationHeaderValue("Bearer", managementKey);

    public async Task<ProviderResult<IReadOnlyList<ProviderProject>>> ListProjectsAsync(string managementKey, CancellationToken cancellationToken = default)
    {
        var (answer, failure) = await api.SendAsync(this, HttpMethod.Get, "v1/organization/projects?limit=100", managementKey, null, cancellationToken);
        if (failure is { } failed)
        {
            return new ProviderResult<IReadOnlyList<ProviderProject>>(default, failed, Status(answer));
        }

        if (!answer!.HasArray("data"))
        {
            return new ProviderResult<IReadOnlyList<ProviderProject>>(default, ProviderFailure.Unexpected, Status(answer));
        }

        var projects = new List<ProviderProject>();
        foreach (var project in answer.Json!.Value.GetProperty("data").EnumerateArray())
        {
            if (project.ValueKind == JsonValueKind.Object
                && project.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && !(project.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == "archived"))
            {
                var name = project.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : id.GetString()!;
                projects.Add(new ProviderProject(id.GetString()!, name));
            }
        }

        return new ProviderResult<IReadOnlyList<ProviderProject>>(projects, null);
    }

    public async Task<ProviderResult<ProviderKeyCreated>> CreateAsync(string managementKey, ProviderKeyRequest request, CancellationToken cancellationToken = default)
    {
        if (request.ProjectId is not { Length: > 0 } project)
        {
            return new ProviderResult<ProviderKeyCreated>(default, ProviderFailure.NotSent);
        }

        var (answer, failure) = await api.SendAsync(
            this, HttpMethod.Post, $"v1/organization/projects/{ProviderApi.Segment(project)}/service_accounts", managementKey, new CreateBody(request.Name), cancellationToken);
        if (failure is { } failed)
        {
            return new ProviderResult<ProviderKeyCreated>(default, failed, Status(answer));
        }

        return answer!.Text("id") is { Length: > 0 } serviceAccount && answer.Text("api_key", "value") is { Length: > 0 } value
            ? new ProviderResult<ProviderKeyCreated>(new ProviderKeyCreated(serviceAccount, value, project), null)
            : new ProviderResult<ProviderKeyCreated>(default, ProviderFailure.Unexpected, Status(answer));
    }

    /// <summary>OpenAI's service account keys carry no spend limit of their own: project budgets are set on the site.</summary>
    public Task<ProviderResult<decimal?>> ReadLimitAsync(string managementKey, string providerKeyId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProviderResult<decimal?>(default, ProviderFailure.NotSent));

    public async Task<ProviderResult<bool>> RetireAsync(string managementKey, string providerKeyId, string? projectId, CancellationToken cancellationToken = default)
    {
        if (projectId is not { Length: > 0 } project)
        {
            return new ProviderResult<bool>(default, ProviderFailure.NotSent);
        }

        var kind = providerKeyId.StartsWith("key_", StringComparison.Ordinal) ? "api_keys" : "service_accounts";
        var (answer, failure) = await api.SendAsync(
            this, HttpMethod.Delete, $"v1/organization/projects/{ProviderApi.Segment(project)}/{kind}/{ProviderApi.Segment(providerKeyId)}", managementKey, null, cancellationToken);
        return failure switch
        {
            null => new ProviderResult<bool>(true, null),
            ProviderFailure.NotFound => new ProviderResult<bool>(false, null),
            { } failed => new ProviderResult<bool>(default, failed, Status(answer)),
        };
    }

    private static int? Status(ProviderAnswer? answer) => answer is null ? null : (int)answer.Status;

    private sealed record CreateBody([property: JsonPropertyName("name")] string Name);
}
