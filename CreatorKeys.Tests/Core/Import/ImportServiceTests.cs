using System.Text;
using CreatorKeys.Core.Import;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Import;

public sealed class ImportServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private VaultSession _session = default!;

    private ImportService Import => _host.Services.GetRequiredService<ImportService>();

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync();
        (_, _session, _) = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Prepare_StoresNothing_ImportStoresOnlyWhatIsIncluded()
    {
        var dev = TestAccounts.NewKeyValue();
        var prod = TestAccounts.NewKeyValue();
        var preview = await Import.PrepareAsync(_session, $"OPENAI_KEY_DEV={dev}\nOPENAI_KEY_PROD=\"{prod}\"\nPORT=8080", VaultEnvironment.Dev);

        Assert.Null(preview.Error);
        Assert.Equal(3, preview.Candidates.Count);
        Assert.Empty(await _host.Vault.ListKeysAsync(_session.AccountId));

        preview.Candidates[1].Include = false;
        var result = await Import.ImportAsync(_session, preview.Candidates, TestAccounts.Origin);

        var stored = Assert.Single(result.Stored);
        Assert.Equal((VaultEnvironment.Dev, "openai"), (stored.Environment, stored.ProviderId));
        Assert.Equal(dev, await _host.Vault.RevealAsync(_session, stored.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task Prepare_ValueAlreadyInTheVault_IsLeftOutAndNamed()
    {
        var value = TestAccounts.NewKeyValue();
        await _host.AddKeyAsync(_session, value, VaultEnvironment.Prod, label: "PROD — OpenAI — main");

        var preview = await Import.PrepareAsync(_session, $"OPENAI_KEY_DEV={value}", VaultEnvironment.Dev);

        var candidate = Assert.Single(preview.Candidates);
        Assert.False(candidate.Include);
        Assert.Contains("Already in your vault as “PROD — OpenAI — main”", candidate.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_CandidateEditedIntoABadState_IsReportedNotStored()
    {
        var preview = await Import.PrepareAsync(_session, $"OPENAI_KEY={TestAccounts.NewKeyValue()}", VaultEnvironment.Dev);
        preview.Candidates[0].Label = "";

        var result = await Import.ImportAsync(_session, preview.Candidates, TestAccounts.Origin);

        Assert.Empty(result.Stored);
        Assert.Contains("Give the key a name", Assert.Single(result.Refused).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_FileOverTheLimit_IsRefusedWithTheLimit()
    {
        await using var file = new MemoryStream(Encoding.UTF8.GetBytes("A=" + new string('x', ImportService.MaxFileBytes)));

        var preview = await Import.PrepareAsync(_session, file, VaultEnvironment.Dev);

        Assert.Contains("larger than 64 KB", preview.Error, StringComparison.Ordinal);
        Assert.Empty(preview.Candidates);
    }

    [Fact]
    public async Task Prepare_BinaryFile_IsRefusedInPlainWords()
    {
        await using var file = new MemoryStream([0xFF, 0xFE, 0x00, 0xC3, 0x28]);

        var preview = await Import.PrepareAsync(_session, file, VaultEnvironment.Dev);

        Assert.Contains("not text", preview.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_ReportsMalformedLinesAlongsideTheCandidates()
    {
        var preview = await Import.PrepareAsync(_session, $"OPENAI_KEY={TestAccounts.NewKeyValue()}\nthis is not a line", VaultEnvironment.Dev);

        Assert.Single(preview.Candidates);
        Assert.Equal(2, Assert.Single(preview.Problems).Line);
    }
}
