using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Rotation;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Rotation;

/// <summary>Step 1 of an ElevenLabs rotation with a workspace admin key: worded as service accounts, with a character limit the creator types.</summary>
public sealed class ElevenLabsRotationPageTests : ComponentTestContext
{
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    [Fact]
    public async Task Step1_WithAWorkspaceAdminKey_OffersServiceAccounts_AndACharacterLimit_NeverTheDollarCap()
    {
        Assert.True((await Vault.AddKeyAsync(Session, new NewKeyInput("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — admin", "sk_a0a1a2a3a4a5a6a7a8a9aaabacadaeaf0a1a2a3a4a5a6a7a", "elevenlabs", IsManagementKey: true), Browser, acceptShapeWarning: true)).Succeeded);
        var old = (await Vault.AddKeyAsync(Session, new NewKeyInput("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — main", "sk_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071", "elevenlabs", 20m), Browser, acceptShapeWarning: true)).Key!;
        var rotation = (await Services.GetRequiredService<RotationService>().StartAsync(Session.AccountId, old.Id, RotationReason.Scheduled, null, Browser)).Rotation!;

        var page = Render<RotationDetailPage>(p => p.Add(r => r.RotationId, rotation.Id).AddCascadingValue(Browser));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=create-at-provider]")));
        var panel = page.Find("[data-testid=create-at-provider]");
        Assert.Contains(panel.QuerySelectorAll("button"), b => b.TextContent.Trim() == "List my ElevenLabs service accounts");
        Assert.Contains("belongs to a service account", panel.TextContent, StringComparison.Ordinal);
        Assert.Contains("Monthly character limit for the new key (optional)", panel.TextContent, StringComparison.Ordinal);
        Assert.Contains("does not turn your dollar cap into characters", panel.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("monthly cap", panel.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("project", panel.TextContent, StringComparison.Ordinal);
    }
}
