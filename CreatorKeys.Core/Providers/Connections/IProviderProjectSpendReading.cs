using System.Net.Http.Headers;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// A spend reading that a key's own value cannot make: the provider reports spend per project, to its admin key only
/// (OpenAI's <c>GET /v1/organization/costs</c>). The figure is the project's (every key in it), read with the stored
/// management key; <see cref="SpendService.ReadProjectAsync"/> does the sending, the paging and the wording, and
/// <see cref="StoredSpend"/> the confirm-it's-you window and the activity entry. One class per provider.
/// </summary>
public interface IProviderProjectSpendReading
{
    /// <summary>
    /// The providers whose kept figure is a project's, not the key's own: the dashboard, the reports and the emails say
    /// so beside the figure. Read from kept rows without the service container, so listed here; a test checks it names
    /// exactly the registered readings.
    /// </summary>
    static IReadOnlySet<string> ProjectWideProviders { get; } = new HashSet<string>(["openai"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The catalog id (<c>openai</c>); the same base address setting as the key check.</summary>
    string ProviderId { get; }

    /// <summary>The provider's documented API host, ending with a slash.</summary>
    Uri DocumentedBaseAddress { get; }

    /// <summary>Puts the management (admin) key on the request's headers.</summary>
    void Authorize(HttpRequestHeaders headers, string managementKey);

    /// <summary>
    /// The path (with its query) of one page of the month's figures from <paramref name="monthStart"/> to
    /// <paramref name="now"/>, for <paramref name="projectId"/>; <paramref name="page"/> is the previous page's cursor,
    /// null for the first. Ids and times only, never a value.
    /// </summary>
    string PagePath(DateTimeOffset monthStart, DateTimeOffset now, string projectId, string? page);

    /// <summary>
    /// One page's share of the project's spend and the next page's cursor, or a verdict that ends the reading: a
    /// documented refusal (<see cref="ProjectSpendPage.Verdict"/>), an answer without the documented figures
    /// (<see cref="SpendVerdict.Unexpected"/>, never zero), or null verdict on an error status to decide by status.
    /// </summary>
    ProjectSpendPage Read(ProviderAnswer answer, string projectId);
}

/// <summary>One page of a project's spend: the amount on it and the next page's cursor (null: the last page), or a verdict.</summary>
public sealed record ProjectSpendPage(decimal Amount, string? NextPage, SpendVerdict? Verdict = null, bool DecideByStatus = false)
{
    public static ProjectSpendPage Unexpected { get; } = new(0, null, SpendVerdict.Unexpected);

    public static ProjectSpendPage ByStatus { get; } = new(0, null, null, DecideByStatus: true);

    public static ProjectSpendPage Ends(SpendVerdict verdict) => new(0, null, verdict);
}
