using System.Security.Cryptography;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// A realistic creator's vault, filled through the real services behind a browser that signed up: four services,
/// keys in all three environments (some capped at the provider, one cap not yet set, one key nearly due), two
/// workflows, and a HeyGen rotation left half done. The design screenshots and the layout tests look at it.
/// </summary>
public sealed class DesignAccount
{
    private DesignAccount(VaultSession session) => Session = session;

    public VaultSession Session { get; }

    /// <summary>The OpenAI PROD key the "Avatar video" workflow uses.</summary>
    public KeySummary OpenAiProd { get; private set; } = default!;

    /// <summary>The ElevenLabs PROD key the "Avatar video" workflow also uses.</summary>
    public KeySummary ElevenLabsProd { get; private set; } = default!;

    /// <summary>The rotation left at step 2 (its new key saved, nothing moved yet).</summary>
    public Guid RotationInProgress { get; private set; }

    public IReadOnlyList<KeySummary> Keys { get; private set; } = [];

    /// <summary>Fills the vault of the one signed-in account of <paramref name="app"/>.</summary>
    public static async Task<DesignAccount> FillAsync(AppHost app)
    {
        var session = Assert.Single(app.OpenSessions());
        var account = new DesignAccount(session);
        var services = app.Services;
        var vault = services.GetRequiredService<VaultService>();
        var setup = services.GetRequiredService<SetupService>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        await setup.SaveProvidersAsync(session.AccountId, ["openai", "elevenlabs", "heygen", "runway"], TestAccounts.Origin);
        await setup.SetMonthlyBudgetAsync(session.AccountId, 300m, TestAccounts.Origin);

        var keys = new List<KeySummary>();
        async Task<KeySummary> AddAsync(string providerId, VaultEnvironment environment, decimal? cap, bool capSet, int daysOld)
        {
            var provider = ProviderCatalog.Shipped.Find(providerId)!;
            var issued = now.AddDays(-daysOld);
            var label = $"{environment.Code()} — {provider.Name} — Created {issued:yyyy-MM-dd}";
            var result = await vault.AddKeyAsync(session, new NewKeyInput(provider.Name, environment, label, ValueFor(provider), provider.Id, cap, capSet, KeyIssueDate.Of(issued)),
                TestAccounts.Origin, acceptShapeWarning: true);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
            keys.Add(result.Key!);
            return result.Key!;
        }

        var openAiDev = await AddAsync("openai", VaultEnvironment.Dev, 5m, true, 12);
        await AddAsync("openai", VaultEnvironment.Staging, 20m, true, 12);
        account.OpenAiProd = await AddAsync("openai", VaultEnvironment.Prod, 100m, true, 40);
        await AddAsync("elevenlabs", VaultEnvironment.Dev, 5m, true, 30);
        account.ElevenLabsProd = await AddAsync("elevenlabs", VaultEnvironment.Prod, 50m, false, 30);
        await AddAsync("heygen", VaultEnvironment.Staging, null, false, 5);
        var heyGenProd = await AddAsync("heygen", VaultEnvironment.Prod, 80m, true, 85);
        await AddAsync("runway", VaultEnvironment.Prod, 60m, true, 20);

        var workflows = services.GetRequiredService<WorkflowService>();
        await workflows.SaveAsync(session.AccountId, null, new WorkflowInput("Avatar video", WorkflowPlatform.Make, VaultEnvironment.Prod,
            "https://eu1.make.com/scenarios/4242", null,
            [new KeyUseInput(account.OpenAiProd.Id, "OPENAI_API_KEY_PROD"), new KeyUseInput(account.ElevenLabsProd.Id, "ELEVENLABS_API_KEY_PROD")]), TestAccounts.Origin);
        await workflows.SaveAsync(session.AccountId, null, new WorkflowInput("Script drafts", WorkflowPlatform.N8n, VaultEnvironment.Dev,
            null, null, [new KeyUseInput(openAiDev.Id, "OPENAI_API_KEY_DEV")]), TestAccounts.Origin);

        var rotations = services.GetRequiredService<RotationService>();
        var started = await rotations.StartAsync(session.AccountId, heyGenProd.Id, RotationReason.Scheduled, null, TestAccounts.Origin);
        account.RotationInProgress = started.Rotation!.Id;
        var (_, added) = await rotations.AddNewKeyAsync(session, account.RotationInProgress, $"PROD — HeyGen — Created {now:yyyy-MM-dd} (new)",
            ValueFor(ProviderCatalog.Shipped.Find("heygen")!), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(added?.Succeeded, "The rotation's new key was not saved: " + string.Join(" ", added?.Errors.Values ?? []));
        keys.Add(added!.Key!);

        account.Keys = keys;
        return account;
    }

    /// <summary>A made-up key in the provider's shape: its sample with a fresh random end.</summary>
    public static string ValueFor(ProviderInfo provider)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var sample = provider.SampleKey ?? TestAccounts.NewKeyValue();
        var end = new string([.. Enumerable.Range(0, 8).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)])]);
        return sample[..^8] + end;
    }
}
