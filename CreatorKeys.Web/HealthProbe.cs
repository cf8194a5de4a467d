namespace CreatorKeys.Web;

/// <summary>
/// <c>dotnet CreatorKeys.Web.dll --health-check</c>: asks the running app's <c>/healthz</c>
/// and exits 0 when it is healthy. Used by the Docker HEALTHCHECK, since the runtime image
/// has no curl.
/// </summary>
internal static class HealthProbe
{
    public const string Argument = "--health-check";

    public static async Task<int> RunAsync(IConfiguration configuration)
    {
        var address = LocalAddress(configuration["Urls"]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(address, "healthz"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"Health check failed: {ex.Message}");
            return 1;
        }
    }

    /// <summary>The first configured address, with a wildcard host replaced by loopback.</summary>
    internal static Uri LocalAddress(string? urls)
    {
        var first = (urls ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var normalized = first.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
        return new Uri(normalized.EndsWith('/') ? normalized : normalized + "/");
    }
}
