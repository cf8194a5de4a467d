using System.Net;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>Pages that show a secret once are never kept in the browser's cache.</summary>
public sealed class NoStorePageTests
{
    [Fact]
    public async Task EmergencyKitTwoStepSetupAndRecoveryCodes_AreSentNoStore()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields());

        var kit = await client.GetAsync("account/emergency-kit");
        await client.SubmitAsync("account/two-step", "two-step-confirm", new Dictionary<string, string> { ["Confirm.Password"] = TestAccounts.Password });
        var setup = await client.GetAsync("account/two-step");
        var key = setup.Document.QuerySelector("[data-testid='authenticator-key']")!.TextContent;
        var codes = await client.SubmitAsync("account/two-step", "two-step-on", new Dictionary<string, string>
        {
            ["Enable.Code"] = TestAccounts.AuthenticatorCode(key, DateTimeOffset.UtcNow),
        });

        Assert.Equal(HttpStatusCode.OK, kit.Status);
        Assert.NotNull(codes.Document.QuerySelector("[data-testid='recovery-codes']"));
        foreach (var (name, page) in new[] { ("emergency kit", kit), ("two-step set-up", setup), ("recovery codes", codes) })
        {
            Assert.True(page.Headers.TryGetValue("Cache-Control", out var cacheControl) && cacheControl.Any(v => v.Split(',', StringSplitOptions.TrimEntries).Contains("no-store")), $"{name}: Cache-Control is not no-store");
        }
    }
}
