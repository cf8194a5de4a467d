using System.Net.Http.Headers;
using System.Text.Json;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// The OpenAI-style check many providers share: <c>GET …/models</c> with <c>Authorization: Bearer</c>, answered by a
/// list under <c>data</c> (or, for some, a bare array). A 401 is a refused key.
/// </summary>
public abstract class ModelListKeyCheck : ProviderKeyCheck
{
    public override void Authorize(HttpRequestHeaders headers, string key) => Bearer(headers, key);

    public override KeyCheckVerdict? Read(ProviderAnswer answer)
    {
        if (answer.IsSuccess)
        {
            return answer.HasArray("data") || answer.Json is { ValueKind: JsonValueKind.Array } ? KeyCheckVerdict.Works : KeyCheckVerdict.Unexpected;
        }

        return (int)answer.Status == 401 ? KeyCheckVerdict.Refused : null;
    }
}
