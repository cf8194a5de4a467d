using System.Net.Http.Headers;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.OpenRouter;

/// <summary>
/// OpenRouter: <c>GET https://openrouter.ai/api/v1/key</c> with <c>Authorization: Bearer</c> describes the calling
/// key under <c>data</c> (its usage, <c>limit</c> and <c>limit_remaining</c>). A refused key answers 401.
/// </summary>
public sealed class OpenRouterKeyCheck : ProviderKeyCheck
{
    public override string ProviderId => "openrouter";

    public override Uri DocumentedBaseAddress { get; } = new("https://openrouter.ai/");

    public override string Path => "api/v1/key";

    public override void Authorize(HttpRequestHeaders headers, string key) => Bearer(headers, key);

    public override KeyCheckVerdict? Read(ProviderAnswer answer)
    {
        if (answer.IsSuccess)
        {
            if (!answer.HasObject("data"))
            {
                return KeyCheckVerdict.Unexpected;
            }

            // A key whose own credit limit is used up is accepted, but every paid call with it fails.
            return answer.Number("data", "limit_remaining") is { } remaining && remaining <= 0
                ? KeyCheckVerdict.Limited("it has used up its own credit limit at OpenRouter, so paid models refuse it until the limit is raised")
                : KeyCheckVerdict.Works;
        }

        return (int)answer.Status == 401 ? KeyCheckVerdict.Refused : null;
    }
}
