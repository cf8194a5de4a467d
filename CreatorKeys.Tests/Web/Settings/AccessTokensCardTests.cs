using Bunit;
using CreatorKeys.Core.AccessTokens;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Settings;

public sealed class AccessTokensCardTests : ComponentTestContext
{
    private AccessTokenService Tokens => Services.GetRequiredService<AccessTokenService>();

    [Fact]
    public async Task Create_ShowsTheTokenOnce_AndItWorks()
    {
        await Services.ConfirmItsYouAsync(Session);
        Render<MudPopoverProvider>();
        var card = Render<AccessTokensCard>();
        Assert.Contains("An access token lets one program read the keys of one folder", card.Markup, StringComparison.Ordinal);

        Button(card, "Create an access token").Click();
        card.WaitForAssertion(() => Assert.NotNull(card.Find("#create-token-form")));
        card.FindAll("input").First(i => i.GetAttribute("placeholder") == "n8n on my laptop").Change("n8n on laptop");
        card.Find("#create-token-form").Submit();

        await card.WaitForAssertionAsync(async () => Assert.Single(await Tokens.ListAsync(Session.AccountId)));
        card.WaitForAssertion(() => Assert.Contains("shown only this once", card.Find("[data-testid='new-token']").TextContent, StringComparison.Ordinal));
        var text = card.Find("[data-testid='new-token'] input").GetAttribute("value")!;
        Assert.StartsWith("ck_dev_", text, StringComparison.Ordinal);
        using (var grant = await Tokens.AuthenticateAsync(text))
        {
            Assert.NotNull(grant);
            Assert.Equal(VaultEnvironment.Dev, grant!.Environment);
        }

        Assert.Contains("n8n on laptop", card.Find("[data-testid='token-row']").TextContent, StringComparison.Ordinal);
        Button(card, "I saved it").Click();
        card.WaitForAssertion(() => Assert.DoesNotContain(text, card.Markup, StringComparison.Ordinal));
        var again = Render<AccessTokensCard>();
        Assert.DoesNotContain(text[text.IndexOf('.', StringComparison.Ordinal)..], again.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_StopsTheTokenAtOnce()
    {
        await Services.ConfirmItsYouAsync(Session);
        var created = await Tokens.CreateAsync(Session, new NewTokenInput("script", VaultEnvironment.Staging, TokenLifetime.Days30), TestAccounts.Origin);
        var card = Render<AccessTokensCard>();

        card.Find("button[aria-label='Revoke script']").Click();

        await card.WaitForAssertionAsync(async () => Assert.Null(await Tokens.AuthenticateAsync(created.TokenText)));
        card.WaitForAssertion(() => Assert.Contains("revoked", card.Find("[data-testid='token-row']").TextContent, StringComparison.Ordinal));
        Assert.Empty(card.FindAll("button[aria-label='Revoke script']"));
    }

    [Fact]
    public async Task ProdToken_WithoutPRODTyped_IsRefused()
    {
        await Services.ConfirmItsYouAsync(Session);

        var refused = await Tokens.CreateAsync(Session, new NewTokenInput("live", VaultEnvironment.Prod, TokenLifetime.Days30, TypedWord: "prod"), TestAccounts.Origin);
        var accepted = await Tokens.CreateAsync(Session, new NewTokenInput("live", VaultEnvironment.Prod, TokenLifetime.Days30, TypedWord: "PROD"), TestAccounts.Origin);

        Assert.False(refused.Succeeded);
        Assert.Contains("type PROD", refused.Error, StringComparison.Ordinal);
        Assert.True(accepted.Succeeded);
        Assert.Single(await Tokens.ListAsync(Session.AccountId));
    }

    [Fact]
    public async Task Create_WithoutConfirmingItsYou_Throws()
    {
        await Assert.ThrowsAsync<ConfirmationRequiredException>(() =>
            Tokens.CreateAsync(Session, new NewTokenInput("x", VaultEnvironment.Dev, TokenLifetime.Days30), TestAccounts.Origin));
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<AccessTokensCard> card, string text) =>
        card.FindAll("button").Single(b => b.TextContent.Trim().Contains(text, StringComparison.Ordinal));
}
