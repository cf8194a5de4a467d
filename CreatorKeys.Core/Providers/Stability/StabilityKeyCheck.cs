using System.Net.Http.Headers;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.Stability;

/// <summary>Stability AI: <c>GET https://api.stability.ai/v1/user/account</c> with <c>Authorization: Bearer</c>; a refused key answers 401.</summary>
public sealed class StabilityKeyCheck : ProviderKeyCheck
{
    public override string ProviderId => "stability";

    public override Uri DocumentedBaseAddress { get; } = new("https://api.stability.ai/");

    public override string Path => "v1/user/account";

    public override void Authorize(HttpRequestHeaders headers, string key) => Bearer(headers, key);

    public override KeyCheckVerdict? Read(ProviderAnswer answer)
    {
        if (answer.IsSuccess)
        {
            return answer.Text("id") is not null ? KeyCheckVerdict.Works : KeyCheckVerdict.Unexpected;
        }

        return (int)answer.Status == 401 ? KeyCheckVerdict.Refused : null;
    }
}
