using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace CreatorKeys.Web;

internal static class HostingExtensions
{
    /// <summary>
    /// Reads the repository's one <c>appsettings.json</c> (copied beside the app's binaries)
    /// wherever the app is started from, below environment variables and the command line,
    /// which still override it. Also serves MudBlazor's files when run from a build folder.
    /// </summary>
    public static void UseCreatorKeysConfiguration(this WebApplicationBuilder builder)
    {
        var settings = new JsonConfigurationSource
        {
            Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
            Optional = true,
            ReloadOnChange = false,
        };
        settings.ResolveFileProvider();

        var sources = builder.Configuration.Sources;
        var environmentIndex = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        sources.Insert(environmentIndex < 0 ? sources.Count : environmentIndex, settings);

        builder.WebHost.UseStaticWebAssets();
    }
}
