using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Vault;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>"Confirm it's you" through the real service, as the dialog does, for tests whose subject is what comes after it.</summary>
public static class Confirmations
{
    public static async Task ConfirmItsYouAsync(this IServiceProvider services, VaultSession session, string passwordOrCode = TestAccounts.Password)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ConfirmationService>().ConfirmAsync(session, passwordOrCode, TestAccounts.Origin);
        Assert.True(result.Succeeded, result.Error);
    }
}
