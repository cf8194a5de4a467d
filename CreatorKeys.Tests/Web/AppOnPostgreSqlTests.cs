using System.Net;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Web;

/// <summary>
/// The whole app (Program.cs, Kestrel) with <c>CreatorKeys:Database:Provider = PostgreSql</c>: sign-up, a key, the
/// pages that read it, the health check, and a restart that finds everything again on the server.
/// </summary>
public sealed class AppOnPostgreSqlTests
{
    [Fact]
    public async Task SignUpAddAKeyAndRestart_AllOnPostgreSql()
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            [Database.Section + ":Provider"] = "PostgreSql",
            [Database.Section + ":ConnectionString"] = await PostgreSqlServer.DatabaseForAsync(folder),
        };

        string label;
        await using (var app = AppHost.Start(folder, settings: settings))
        {
            Assert.True(app.Services.GetService(typeof(Database)) is Database { IsPostgreSql: true });
            using var client = PageClient.For(app);
            var session = await app.SignUpThroughFormAsync(client);
            label = (await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod)).Label;

            // The vault opens on its first folder, DEV: a DEV key's name is in the page as first served.
            var devLabel = (await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev)).Label;
            var vaultPage = await client.GetAsync("vault");
            Assert.Equal(HttpStatusCode.OK, vaultPage.Status);
            Assert.Contains(devLabel, vaultPage.Document.Body!.TextContent, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).Status);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).Status);
        }

        // A restart (the data folder kept, so the same sign-in key ring): the account and its key are still there.
        await using (var again = AppHost.Start(folder, settings: settings))
        {
            using var client = PageClient.For(again);
            Assert.Equal("/", (await client.SignInThroughFormAsync()).Location);
            var vault = (VaultService)again.Services.GetService(typeof(VaultService))!;
            var page = await vault.ListKeysPageAsync(again.AccountId(TestAccounts.Email), new KeyListQuery(VaultEnvironment.Prod));
            Assert.Equal(label, Assert.Single(page.Keys).Label);
        }
    }

    [Fact]
    public async Task Start_OnPostgreSql_MakesNoSqliteFileInTheDataFolder()
    {
        using var folder = new TempFolder();
        var settings = new Dictionary<string, string?>
        {
            [Database.Section + ":Provider"] = "PostgreSql",
            [Database.Section + ":ConnectionString"] = await PostgreSqlServer.DatabaseForAsync(folder),
        };

        await using var app = AppHost.Start(folder, settings: settings);
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("healthz")).Status);

        // The data folder still holds what is not in the database (key files, the outbox), but no database file:
        // an empty creatorkeys.db beside a PostgreSQL install would only mislead whoever backs the folder up.
        Assert.True(Directory.Exists(app.DataFolder.KeyRingPath));
        Assert.Empty(Directory.EnumerateFiles(app.DataFolder.Root, "creatorkeys.db*"));
    }
}
