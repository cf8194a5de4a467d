using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.Mistral;

/// <summary>Mistral: <c>GET https://api.mistral.ai/v1/models</c> with <c>Authorization: Bearer</c>; a refused key answers 401.</summary>
public sealed class MistralKeyCheck : ModelListKeyCheck
{
    public override string ProviderId => "mistral";

    public override Uri DocumentedBaseAddress { get; } = new("https://api.mistral.ai/");

    public override string Path => "v1/models";
}
