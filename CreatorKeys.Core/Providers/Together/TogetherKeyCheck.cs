using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.Together;

/// <summary>
/// Together AI: <c>GET https://api.together.ai/v1/models</c> with <c>Authorization: Bearer</c>, answered by a bare
/// array of models; a refused key answers 401 <c>invalid_api_key</c>.
/// </summary>
public sealed class TogetherKeyCheck : ModelListKeyCheck
{
    public override string ProviderId => "together";

    public override Uri DocumentedBaseAddress { get; } = new("https://api.together.ai/");

    public override string Path => "v1/models";
}
