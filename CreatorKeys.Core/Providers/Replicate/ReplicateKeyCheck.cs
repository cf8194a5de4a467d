using System.Net.Http.Headers;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.Replicate;

/// <summary>Replicate: <c>GET https://api.replicate.com/v1/account</c> with <c>Authorization: Bearer</c>; a refused token answers 401.</summary>
public sealed class ReplicateKeyCheck : ProviderKeyCheck
{
    public override string ProviderId => "replicate";

    public override Uri DocumentedBaseAddress { get; } = new("https://api.replicate.com/");

    public override string Path => "v1/account";

    public override void Authorize(HttpRequestHeaders headers, string key) => Bearer(headers, key);

    public override KeyCheckVerdict? Read(ProviderAnswer answer)
    {
        if (answer.IsSuccess)
        {
            return answer.Text("username") is not null ? KeyCheckVerdict.Works : KeyCheckVerdict.Unexpected;
        }

        return (int)answer.Status == 401 ? KeyCheckVerdict.Refused : null;
    }
}
