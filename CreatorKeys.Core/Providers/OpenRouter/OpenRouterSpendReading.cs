using System.Net.Http.Headers;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.OpenRouter;

/// <summary>
/// OpenRouter: the same <c>GET https://openrouter.ai/api/v1/key</c> as the key check describes the calling key under
/// <c>data</c>: <c>usage</c> (all time), <c>usage_daily</c>, <c>usage_weekly</c>, <c>usage_monthly</c> (the current
/// UTC day, week and month) and, when the key has a credit limit, <c>limit</c>, <c>limit_remaining</c> and
/// <c>limit_reset</c> (<c>daily</c>, <c>weekly</c>, <c>monthly</c>, or null for a limit that never resets). Dollars.
/// </summary>
public sealed class OpenRouterSpendReading : IProviderSpendReading
{
    public string ProviderId => "openrouter";

    public Uri DocumentedBaseAddress { get; } = new("https://openrouter.ai/");

    public string Path => "api/v1/key";

    public void Authorize(HttpRequestHeaders headers, string key) => headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

    public SpendVerdict? Read(ProviderAnswer answer)
    {
        if (!answer.IsSuccess)
        {
            return (int)answer.Status == 401 ? SpendVerdict.Refused : null;
        }

        if (!answer.HasObject("data") || answer.Number("data", "usage_monthly") is not { } month || month < 0)
        {
            return SpendVerdict.Unexpected;
        }

        var period = answer.Text("data", "limit_reset") switch
        {
            "daily" => SpendPeriod.Day,
            "weekly" => SpendPeriod.Week,
            "monthly" => SpendPeriod.Month,
            _ => SpendPeriod.Total,
        };

        // A key with no limit answers "limit": null; then only the month's use is known.
        if (answer.Number("data", "limit") is not { } limit)
        {
            return SpendVerdict.Read(new SpendFigures(SpendUnit.Dollars, month));
        }

        var used = answer.Number("data", "limit_remaining") is { } remaining
            ? Math.Max(0, limit - remaining)
            : period switch
            {
                SpendPeriod.Day => answer.Number("data", "usage_daily"),
                SpendPeriod.Week => answer.Number("data", "usage_weekly"),
                SpendPeriod.Month => month,
                _ => answer.Number("data", "usage"),
            };
        return used is null ? SpendVerdict.Unexpected : SpendVerdict.Read(new SpendFigures(SpendUnit.Dollars, month, limit, used, period));
    }
}
