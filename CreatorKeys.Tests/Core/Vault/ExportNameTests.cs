using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Import;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>Export names: catalog defaults, custom providers, .env imports, renaming with its refusals.</summary>
public sealed class ExportNameTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private VaultSession _session = default!;

    private ExportNameService Names => _host.Services.GetRequiredService<ExportNameService>();

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync();
        (_, _session, _) = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Catalog_EveryProviderHasAValidExportName()
    {
        Assert.All(ProviderCatalog.Shipped.Providers, p => Assert.True(ExportNames.IsValid(p.ExportName), $"{p.Id}: {p.ExportName}"));
        Assert.Equal("REPLICATE_API_TOKEN", ExportNames.DefaultFor("replicate", "Replicate"));
        Assert.Equal("ELEVENLABS_API_KEY", ExportNames.DefaultFor("elevenlabs", "ElevenLabs"));
    }

    [Theory]
    [InlineData("My Voice Tool", "MY_VOICE_TOOL_API_KEY")]
    [InlineData("d-id.com", "D_ID_COM_API_KEY")]
    [InlineData("3D Studio", "_3D_STUDIO_API_KEY")]
    [InlineData("!!!", "SERVICE_API_KEY")]
    public void FromText_CustomProvider_MakesAValidName(string provider, string expected)
    {
        Assert.Equal(expected, ExportNames.FromText(provider));
        Assert.True(ExportNames.IsValid(expected));
    }

    [Theory]
    [InlineData("OPENAI_API_KEY_PROD", "OPENAI_API_KEY")]
    [InlineData("OPENAI_KEY_DEV", "OPENAI_KEY")]
    [InlineData("ELEVENLABS_API_KEY_STAGING", "ELEVENLABS_API_KEY")]
    [InlineData("ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY")]
    public void FromVariableName_DropsTheEnvironmentSuffix(string variable, string expected) =>
        Assert.Equal(expected, ExportNames.FromVariableName(variable));

    [Fact]
    public async Task Import_KeepsTheVariableNameWithoutItsSuffix()
    {
        var import = _host.Services.GetRequiredService<ImportService>();
        var preview = await import.PrepareAsync(_session, $"OPENAI_KEY_PROD={TestAccounts.NewKeyValue()}\n", VaultEnvironment.Dev);

        var stored = Assert.Single((await import.ImportAsync(_session, preview.Candidates, TestAccounts.Origin)).Stored);

        Assert.Equal("OPENAI_KEY", (await Names.GetAsync(_session.AccountId, stored.Id))!.Value.Name);
    }

    [Fact]
    public async Task Rename_Valid_IsSavedAndLogged_TakenOrMalformed_ChangesNothing()
    {
        var first = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "DEV — OpenAI — a", TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true);
        var second = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "DEV — OpenAI — b", TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true);
        var prod = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — a", TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.Equal("OPENAI_API_KEY_2", (await Names.GetAsync(_session.AccountId, second.Key!.Id))!.Value.Name);

        Assert.Null(await Names.RenameAsync(_session.AccountId, second.Key!.Id, " OPENAI_VIDEO_KEY ", TestAccounts.Origin));
        var taken = await Names.RenameAsync(_session.AccountId, second.Key!.Id, "OPENAI_API_KEY", TestAccounts.Origin);
        var malformed = await Names.RenameAsync(_session.AccountId, second.Key!.Id, "openai-key", TestAccounts.Origin);
        // The same name in another environment is the point: programs read one name everywhere.
        Assert.Null(await Names.RenameAsync(_session.AccountId, prod.Key!.Id, "OPENAI_VIDEO_KEY", TestAccounts.Origin));

        Assert.Contains("already the name of “DEV — OpenAI — a” in DEV", taken, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", malformed, StringComparison.Ordinal);
        Assert.Equal("OPENAI_VIDEO_KEY", (await Names.GetAsync(_session.AccountId, second.Key!.Id))!.Value.Name);
        Assert.Equal("OPENAI_API_KEY", (await Names.GetAsync(_session.AccountId, first.Key!.Id))!.Value.Name);
        var edits = await _host.Services.GetRequiredService<ActivityService>().ListAsync(_session.AccountId, new ActivityFilter(ActivityAction.KeyEdited), 10);
        Assert.Contains(edits, e => e.TargetName!.Contains("OPENAI_API_KEY_2 → OPENAI_VIDEO_KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeyStoredBeforeExportNames_UsesItsProvidersDefault()
    {
        var key = (await _host.Vault.AddKeyAsync(_session, new NewKeyInput("ElevenLabs", VaultEnvironment.Dev, "DEV — ElevenLabs — a", TestAccounts.NewKeyValue("")), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(u => u.SetProperty(k => k.ExportName, (string?)null));
        }

        Assert.Equal("ELEVENLABS_API_KEY", (await Names.GetAsync(_session.AccountId, key.Id))!.Value.Name);
    }
}
