using System.Text;
using CreatorKeys.Core.AccessTokens;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Import;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>Vault → "Download as .env": confirmed, one folder's real values under their export names, logged without them.</summary>
public sealed class DotEnvDownloadTests
{
    [Fact]
    public async Task CreateAsync_AwkwardValues_ParseBackToTheStoredValues()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OPENAI_API_KEY"] = TestAccounts.NewKeyValue(),
            ["QUOTED_KEY"] = "sk-it's \"quoted\" $HOME #not-a-comment \\path",
            ["SPACED_KEY"] = "tok  with  spaces=and=equals",
            ["TWO_LINES"] = "-----BEGIN KEY-----\nabc\tdef\n-----END KEY-----",
        };
        foreach (var (name, value) in values)
        {
            await AddAsync(host, session, value, VaultEnvironment.Staging, name);
        }

        await AddAsync(host, session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV_ONLY_KEY");

        var file = await Downloads(host).CreateAsync(session, VaultEnvironment.Staging, TestAccounts.Origin);

        Assert.NotNull(file);
        Assert.Equal("creatorkeys-staging.env", file.FileName);
        var parsed = DotEnvParser.Parse(Encoding.UTF8.GetString(file.Content));
        Assert.Empty(parsed.Problems);
        Assert.Equal(values.OrderBy(v => v.Key, StringComparer.Ordinal), parsed.Entries.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        Assert.Equal(values.Keys.Order(StringComparer.Ordinal), file.Names);
        // The same lines `creatorkeys export --format dotenv` prints for these values.
        Assert.EndsWith(CreatorKeys.Cli.SecretFormats.Format(CreatorKeys.Cli.SecretFormats.DotEnv, values.OrderBy(v => v.Key, StringComparer.Ordinal)), Encoding.UTF8.GetString(file.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_IsLogged_WithNamesAndCount_NeverAValue()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var value = TestAccounts.NewKeyValue();
        await AddAsync(host, session, value, VaultEnvironment.Prod, "OPENAI_API_KEY");
        await AddAsync(host, session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "ELEVENLABS_API_KEY");

        await Downloads(host).CreateAsync(session, VaultEnvironment.Prod, TestAccounts.Origin);

        var entry = Assert.Single(await host.Services.GetRequiredService<ActivityService>().ListRecentAsync(account.Id, 50), e => e.Action == ActivityAction.EnvironmentDownloaded);
        Assert.Equal(VaultEnvironment.Prod, entry.Environment);
        Assert.Equal("2 keys: ELEVENLABS_API_KEY, OPENAI_API_KEY", entry.TargetName);
        Assert.DoesNotContain(value[^8..], entry.TargetName!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_WithoutConfirmingItsYou_IsRefused_AndNothingIsLogged()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        await AddAsync(host, session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "OPENAI_API_KEY");
        host.Time.Advance(VaultSession.ConfirmationWindow + TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => Downloads(host).CreateAsync(session, VaultEnvironment.Dev, TestAccounts.Origin));

        Assert.DoesNotContain(await host.Services.GetRequiredService<ActivityService>().ListRecentAsync(account.Id, 50), e => e.Action == ActivityAction.EnvironmentDownloaded);
    }

    [Fact]
    public async Task CreateAsync_EmptyFolder_GivesNoFile()
    {
        await using var host = await CoreHost.StartAsync();
        var (_, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var retired = await AddAsync(host, session, TestAccounts.NewKeyValue(), VaultEnvironment.Staging, "OPENAI_API_KEY");
        Assert.True(await host.Vault.RetireKeyAsync(session.AccountId, retired.Id, TestAccounts.Origin));

        Assert.Null(await Downloads(host).CreateAsync(session, VaultEnvironment.Staging, TestAccounts.Origin));
    }

    [Fact]
    public async Task CreateAsync_MockKeyAndMockFolder_GiveTheRealValue()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var value = TestAccounts.NewKeyValue();
        var key = await AddAsync(host, session, value, VaultEnvironment.Dev, "OPENAI_API_KEY");
        var tokens = host.Services.GetRequiredService<AccessTokenService>();
        Assert.Null(await tokens.SetKeyMockAsync(account.Id, key.Id, true, TestAccounts.Origin));
        Assert.Null(await tokens.SetModeAsync(account.Id, VaultEnvironment.Dev, EnvironmentMode.Mock, TestAccounts.Origin));

        var file = await Downloads(host).CreateAsync(session, VaultEnvironment.Dev, TestAccounts.Origin);

        Assert.Equal(value, Assert.Single(DotEnvParser.Parse(Encoding.UTF8.GetString(file!.Content)).Entries).Value);
    }

    [Fact]
    public async Task CreateAsync_HasOnlyTheSessionsOwnAccountsKeys()
    {
        await using var host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        var (_, a, _) = await host.SignUpAsync("a@example.com");
        var (_, b, _) = await host.SignUpAsync("b@example.com");
        await host.Services.ConfirmItsYouAsync(a);
        await host.Services.ConfirmItsYouAsync(b);
        await AddAsync(host, a, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "A_KEY");
        await AddAsync(host, b, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "B_KEY");

        var file = await Downloads(host).CreateAsync(b, VaultEnvironment.Prod, TestAccounts.Origin);

        Assert.Equal(["B_KEY"], file!.Names);
    }

    private static DotEnvDownloadService Downloads(CoreHost host) => host.Services.GetRequiredService<DotEnvDownloadService>();

    private static async Task<KeySummary> AddAsync(CoreHost host, VaultSession session, string value, VaultEnvironment environment, string exportName)
    {
        var result = await host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", environment, $"{environment.Code()} — OpenAI — {exportName}", value, ExportName: exportName), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }
}
