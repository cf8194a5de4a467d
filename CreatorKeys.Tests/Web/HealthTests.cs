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
    public async Task Start_AppliesMigrationsAndSwitchesSqliteToWal()
    {
        using var app = AppHost.Start();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(app.DataFolder.ConnectionString);
        await connection.OpenAsync();

        await using var journal = connection.CreateCommand();
        journal.CommandText = "PRAGMA journal_mode;";
        await using var migrations = connection.CreateCommand();
        migrations.CommandText = "SELECT COUNT(*) FROM __EFMigrationsHistory;";

        Assert.Equal("wal", (string?)await journal.ExecuteScalarAsync());
        Assert.True((long)(await migrations.ExecuteScalarAsync())! >= 1);
    }

    [Fact]
    public async Task Healthz_DatabaseFileUnreadable_ReportsUnhealthy()
    {
        using var app = AppHost.Start();
        using var client = app.NewHttpClient();
        using (var pooled = new Microsoft.Data.Sqlite.SqliteConnection(new CreatorKeys.Core.Data.DataFolder(app.Folder.Path).ConnectionString))
        {
            // This app's pool only: clearing every pool would close other running tests' connections (and their WAL files).
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(pooled);
        }

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
