using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Tests.Web.AccessTokens;

namespace CreatorKeys.Tests.Cli;

/// <summary>
/// The command against the real app (a running host, a real token made by the app, a real key in the vault), not the
/// fake of the contract: what the two sides were built to agree on, checked together.
/// </summary>
public sealed class CliAgainstTheAppTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_ChildSeesTheStoredValue_DiffFindsWhatProdLacks_AndExportReadsBack()
    {
        using var app = AppHost.Start();
        var session = await AccessTokenApiTests.SignUpAsync(app);
        var value = TestAccounts.NewKeyValue();
        await app.AddKeyAsync(session, value, VaultEnvironment.Dev);
        var devToken = await AccessTokenApiTests.CreateTokenAsync(app, session, VaultEnvironment.Dev);
        var prodToken = await AccessTokenApiTests.CreateTokenAsync(app, session, VaultEnvironment.Prod);
        var url = app.BaseAddress.ToString().TrimEnd('/');
        await _cli.LoginAsync(url, devToken);
        await _cli.LoginAsync(url, prodToken);
        var written = Path.Combine(_cli.HomePath, "child-saw.txt");

        var run = await _cli.RunAsync("run", "--env", "DEV", "--", "sh", "-c", "printf %s \"$OPENAI_API_KEY\" > \"$1\"; exit 3", "sh", written);
        var diff = await _cli.RunAsync("diff", "DEV", "PROD", "--fail-on-missing");
        var export = await _cli.RunAsync("export", "--env", "DEV", "--format", "json");
        var whoami = await _cli.RunAsync("whoami");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(value, await File.ReadAllTextAsync(written));
        Assert.DoesNotContain(value, run.Output + run.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, diff.ExitCode);
        Assert.Contains("OPENAI_API_KEY", diff.Output + diff.Error, StringComparison.Ordinal);
        Assert.Equal(0, export.ExitCode);
        using (var json = System.Text.Json.JsonDocument.Parse(export.Output))
        {
            Assert.Equal(value, json.RootElement.GetProperty("OPENAI_API_KEY").GetString());
        }

        Assert.Equal(0, whoami.ExitCode);
        Assert.Contains("Live", whoami.Output, StringComparison.Ordinal);
    }
}
