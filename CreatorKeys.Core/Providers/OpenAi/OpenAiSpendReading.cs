using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.OpenAi;

/// <summary>
/// OpenAI reports spend to an admin key only, per project: <c>GET https://api.openai.com/v1/organization/costs</c>
/// with <c>start_time</c> (unix seconds, inclusive: the start of the UTC month), <c>bucket_width=1d</c>,
/// <c>group_by=project_id</c>, <c>project_ids</c> and <c>limit</c> (buckets per page), paged by <c>has_more</c> and
/// <c>next_page</c> (sent back as <c>page</c>). It answers
/// <c>{object: "page", data: [{object: "bucket", start_time, end_time, results: [{amount: {value, currency: "usd"},
/// project_id, line_item}]}], has_more, next_page}</c>. The figure is the sum of the project's <c>amount.value</c>:
/// every key in the project, not one key. A refused admin key answers 401 <c>invalid_api_key</c>; a key that is not an
/// admin key answers 403.
/// </summary>
public sealed class OpenAiSpendReading : IProviderProjectSpendReading
{
    public string ProviderId => "openai";

    public Uri DocumentedBaseAddress { get; } = new("https://api.openai.com/");

    public void Authorize(HttpRequestHeaders headers, string managementKey) => headers.Authorization = new AuthenticationHeaderValue("Bearer", managementKey);

    public string PagePath(DateTimeOffset monthStart, DateTimeOffset now, string projectId, string? page)
    {
        // One daily bucket per day so far this month (at most 31): usually one page.
        var days = Math.Clamp((int)Math.Ceiling((now - monthStart).TotalDays), 1, 31);
        var path = string.Create(CultureInfo.InvariantCulture,
            $"v1/organization/costs?start_time={monthStart.ToUnixTimeSeconds()}&bucket_width=1d&group_by=project_id&project_ids={Uri.EscapeDataString(projectId)}&limit={days}");
        return page is null ? path : $"{path}&page={Uri.EscapeDataString(page)}";
    }

    public ProjectSpendPage Read(ProviderAnswer answer, string projectId)
    {
        if (!answer.IsSuccess)
        {
            return (int)answer.Status == 401 ? ProjectSpendPage.Ends(SpendVerdict.Refused) : ProjectSpendPage.ByStatus;
        }

        if (!answer.HasArray("data") || !answer.Json!.Value.TryGetProperty("has_more", out var more) || more.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ProjectSpendPage.Unexpected;
        }

        var amount = 0m;
        foreach (var bucket in answer.Json.Value.GetProperty("data").EnumerateArray())
        {
            if (bucket.ValueKind != JsonValueKind.Object || !bucket.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
            {
                return ProjectSpendPage.Unexpected;
            }

            foreach (var result in results.EnumerateArray())
            {
                if (result.ValueKind != JsonValueKind.Object)
                {
                    return ProjectSpendPage.Unexpected;
                }

                // Grouped by project: other projects' lines (and unattributed ones) are not this key's project.
                if (!result.TryGetProperty("project_id", out var project) || project.ValueKind != JsonValueKind.String || project.GetString() != projectId)
                {
                    continue;
                }

                if (!result.TryGetProperty("amount", out var cost) || cost.ValueKind != JsonValueKind.Object
                    || !cost.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var dollars) || dollars < 0
                    || !cost.TryGetProperty("currency", out var currency) || currency.ValueKind != JsonValueKind.String
                    || !string.Equals(currency.GetString(), "usd", StringComparison.OrdinalIgnoreCase))
                {
                    return ProjectSpendPage.Unexpected;
                }

                amount += dollars;
            }
        }

        if (more.ValueKind == JsonValueKind.False)
        {
            return new ProjectSpendPage(amount, null);
        }

        return answer.Text("next_page") is { Length: > 0 } next ? new ProjectSpendPage(amount, next) : ProjectSpendPage.Unexpected;
    }
}
