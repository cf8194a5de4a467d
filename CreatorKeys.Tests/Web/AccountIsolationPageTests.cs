using System.Net;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web;

/// <summary>
/// Two accounts on one running app: account B's browser asks for account A's key and rotation
/// pages by id, and downloads reports, the activity log and a backup. B sees "not found" or
/// only its own data; nothing of A's (names, hints, ids) appears in any answer.
/// </summary>
public sealed class AccountIsolationPageTests
{
    [Fact]
    public async Task AccountB_SeesNoneOfAccountA_OnIdPages_AndInEveryDownload()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        using var a = PageClient.For(app);
        using var b = PageClient.For(app);
        var aSession = await app.SignUpThroughFormAsync(a, "a@example.com");
        var bSession = await app.SignUpThroughFormAsync(b, "b@example.com");

        var vault = app.Services.GetRequiredService<VaultService>();
        var aKey = (await vault.AddKeyAsync(aSession, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — Alpha secret project", TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
        var bKey = (await vault.AddKeyAsync(bSession, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — Bravo", TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
        await app.Services.GetRequiredService<WorkflowService>().SaveAsync(aSession.AccountId, null, new WorkflowInput("Alpha workflow", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(aKey.Id, "OPENAI_API_KEY")]), TestAccounts.Origin);
        var rotation = (await app.Services.GetRequiredService<RotationService>().StartAsync(aSession.AccountId, aKey.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;
        var secretsOfA = new[] { "Alpha secret project", "Alpha workflow", aKey.Id.ToString(), rotation.Id.ToString(), aKey.Hint, "a@example.com" };

        // Pages that take an id: A sees them, B gets "not found".
        Assert.Contains("Alpha secret project", (await a.GetAsync($"vault/keys/{aKey.Id}")).Html, StringComparison.Ordinal);
        var keyPage = await b.GetAsync($"vault/keys/{aKey.Id}");
        var rotationPage = await b.GetAsync($"rotation/{rotation.Id}");
        Assert.Contains("Key not found", keyPage.Html, StringComparison.Ordinal);
        Assert.Contains("Rotation not found", rotationPage.Html, StringComparison.Ordinal);

        // Downloads: B's own data only.
        var answers = new Dictionary<string, string>
        {
            ["key page"] = keyPage.Html,
            ["rotation page"] = rotationPage.Html,
            ["vault page"] = (await b.GetAsync("vault")).Html,
            ["workflows page"] = (await b.GetAsync("workflows")).Html,
            ["activity page"] = (await b.GetAsync("activity")).Html,
        };
        foreach (var path in new[] { "reports/inventory.csv", "reports/inventory.json", "reports/inventory.pdf", "activity/export.csv" })
        {
            using var response = await b.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            answers[path] = path.EndsWith(".pdf", StringComparison.Ordinal) ? await CreatorKeys.Tests.Core.Reports.InventoryReportTests.PdfTextAsync(bytes) : System.Text.Encoding.UTF8.GetString(bytes);
        }

        Assert.Contains("Bravo", answers["reports/inventory.csv"], StringComparison.Ordinal);
        Assert.Contains("Bravo", answers["reports/inventory.pdf"], StringComparison.Ordinal);
        Assert.Contains(ActivityText.Describe(ActivityAction.KeyAdded), answers["activity/export.csv"], StringComparison.Ordinal);

        // The backup of B's vault, opened with its passphrase, holds B's key and nothing of A's.
        const string Passphrase = "a long passphrase for the B backup";
        await app.Services.ConfirmItsYouAsync(bSession);
        var backup = await app.Services.GetRequiredService<BackupService>().CreateAsync(bSession, Passphrase, TestAccounts.Origin);
        answers["backup"] = System.Text.Encoding.UTF8.GetString(BackupFile.Read(backup.Content!, Passphrase).Payload!);
        Assert.Contains(bKey.Id.ToString(), answers["backup"], StringComparison.Ordinal);

        var leaks = answers.SelectMany(answer => secretsOfA.Where(s => answer.Value.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"{answer.Key}: {s}")).ToList();
        Assert.True(leaks.Count == 0, "Account A's data reached account B: " + string.Join("; ", leaks));
    }
}
