using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Browser;

/// <summary>The rotation detail page (<c>/rotation/{id}</c>) for the page walks: a rotation of the account's one key.</summary>
internal static class RotationPage
{
    /// <summary>Starts replacing the signed-in account's first current key; the page to visit is <c>rotation/{id}</c>.</summary>
    public static async Task<Guid> StartAsync(AppHost app)
    {
        var session = Assert.Single(app.OpenSessions());
        var key = (await app.Services.GetRequiredService<VaultService>().ListKeysAsync(session.AccountId)).First(k => k.IsCurrent);
        var started = await app.Services.GetRequiredService<RotationService>().StartAsync(session.AccountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin);
        return started.Rotation!.Id;
    }

    /// <summary>Cancels it again, so the pages after it see the key as before.</summary>
    public static async Task CancelAsync(AppHost app, Guid rotationId)
    {
        var session = Assert.Single(app.OpenSessions());
        Assert.True((await app.Services.GetRequiredService<RotationService>().CancelAsync(session.AccountId, rotationId, TestAccounts.Origin)).Succeeded);
    }
}
