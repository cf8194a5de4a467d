using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web;

/// <summary>HTML and script typed into names come back as text on every page that shows them, never as markup.</summary>
public sealed class MarkupInNamesTests
{
    private const string ScriptName = "PROD — OpenAI — <script>window.pwned=1</script> 2026-11-23";
    private const string ImageName = "Shorts <img src=x onerror=\"window.pwned=1\">";

    [Fact]
    public async Task NamesWithHtml_AreRenderedAsText_OnTheVaultKeyAndWorkflowPages()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(client);
        var key = (await app.Services.GetRequiredService<VaultService>().AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, ScriptName, TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
        var (_, errors) = await app.Services.GetRequiredService<WorkflowService>().SaveAsync(session.AccountId, null, new WorkflowInput(ImageName, WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(key.Id, "OPENAI_API_KEY")]), TestAccounts.Origin);
        Assert.Empty(errors);

        foreach (var path in new[] { "vault", $"vault/keys/{key.Id}", "workflows", "reports", "activity" })
        {
            var page = await client.GetAsync(path);
            Assert.DoesNotContain("<script>window.pwned", page.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", page.Html, StringComparison.Ordinal);
            Assert.Empty(page.Document.QuerySelectorAll("img[onerror]"));
            Assert.DoesNotContain(page.Document.QuerySelectorAll("script"), s => s.TextContent.Contains("pwned", StringComparison.Ordinal));
        }

        // Shown, as text, where the name belongs.
        var keyPage = await client.GetAsync($"vault/keys/{key.Id}");
        Assert.Contains(ScriptName, keyPage.Document.Body!.TextContent, StringComparison.Ordinal);
    }
}
