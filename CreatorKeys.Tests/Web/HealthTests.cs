using System.Net;
using System.Text.Json;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Web;

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_DatabaseReachable_ReportsHealthy()
    {
        using var app = AppHost.Start();
        using var client = app.NewHttpClient();

        using var response = await client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task Healthz_DatabaseFileUnreadable_ReportsUnhealthy()
    {
        using var app = AppHost.Start();
        using var client = app.NewHttpClient();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Replace the database with something that is not a database at all.
        foreach (var file in Directory.GetFiles(app.Folder.Path, "creatorkeys.db*"))
        {
            File.WriteAllText(file, "this is not a database");
        }

        using var response = await client.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
    }
}
