using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.OpenAi;

/// <summary>
/// OpenAI: <c>GET https://api.openai.com/v1/models</c> with <c>Authorization: Bearer</c>. A refused key answers
/// 401 <c>invalid_api_key</c>; a restricted key without the models permission answers 401 naming the missing
/// scope; an account without credit answers 429 <c>insufficient_quota</c>.
/// </summary>
public sealed class OpenAiKeyCheck : ModelListKeyCheck
{
    public override string ProviderId => "openai";

    public override Uri DocumentedBaseAddress { get; } = new("https://api.openai.com/");

    public override string Path => "v1/models";

    public override KeyCheckVerdict? Read(ProviderAnswer answer)
    {
        var code = answer.Text("error", "code");
        var message = answer.Text("error", "message") ?? "";
        switch ((int)answer.Status)
        {
            case 401 when code != "invalid_api_key" && (message.Contains("Missing scopes", StringComparison.OrdinalIgnoreCase) || message.Contains("insufficient permissions", StringComparison.OrdinalIgnoreCase)):
                return KeyCheckVerdict.Limited("it is a restricted key that may not list models (its other permissions were not checked)");
            case 429 when code == "insufficient_quota":
                return KeyCheckVerdict.Limited("the OpenAI account has no credit left, so every call with it fails until billing is topped up");
            case 403 when code == "unsupported_country_region_territory":
                return KeyCheckVerdict.Limited("OpenAI refuses calls from the country this server is in");
            default:
                return base.Read(answer);
        }
    }
}
