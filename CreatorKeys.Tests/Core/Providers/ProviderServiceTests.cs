using CreatorKeys.Core.Providers;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Providers;

public sealed class ProviderServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    private ProviderService Providers => _host.Services.GetRequiredService<ProviderService>();

    public async Task InitializeAsync() =>
        _host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AddCustom_Valid_AppearsInThatAccountsListOnly()
    {
        var (owner, _, _) = await _host.SignUpAsync(TestAccounts.Email);
        var (other, _, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);

        var (provider, errors) = await Providers.AddCustomAsync(owner.Id, "  Suno Studio ", "https://suno.example/keys", null, TestAccounts.Origin);

        Assert.Empty(errors);
        Assert.StartsWith("custom-", provider!.Id, StringComparison.Ordinal);
        Assert.Equal(ProviderCategory.Other, provider.Category);
        Assert.Contains(await Providers.ListAsync(owner.Id), p => p.Name == "Suno Studio" && p.IsCustom);
        Assert.DoesNotContain(await Providers.ListAsync(other.Id), p => p.Name == "Suno Studio");
    }

    [Theory]
    [InlineData("", null, ProviderService.NameField)]
    [InlineData("openai", null, ProviderService.NameField)]
    [InlineData("My tool", "http://insecure.example", ProviderService.KeysPageField)]
    [InlineData("My tool", "not a url", ProviderService.KeysPageField)]
    public async Task AddCustom_BadInput_ExplainsAndAddsNothing(string name, string? url, string field)
    {
        var (owner, _, _) = await _host.SignUpAsync();
        var before = (await Providers.ListAsync(owner.Id)).Count;

        var (provider, errors) = await Providers.AddCustomAsync(owner.Id, name, url, null, TestAccounts.Origin);

        Assert.Null(provider);
        Assert.True(errors.ContainsKey(field));
        Assert.Equal(before, (await Providers.ListAsync(owner.Id)).Count);
    }

    [Fact]
    public async Task AddCustom_SameNameTwice_Refused()
    {
        var (owner, _, _) = await _host.SignUpAsync();
        await Providers.AddCustomAsync(owner.Id, "My tool", null, null, TestAccounts.Origin);

        var (_, errors) = await Providers.AddCustomAsync(owner.Id, "MY TOOL", null, null, TestAccounts.Origin);

        Assert.Equal("You already added My tool.", errors[ProviderService.NameField]);
    }

    [Fact]
    public void Resolve_ByIdThenByNameIgnoringCase()
    {
        var all = ProviderCatalog.Shipped.Providers;

        Assert.Equal("openai", ProviderService.Resolve(all, "OPENAI", null)?.Id);
        Assert.Equal("elevenlabs", ProviderService.Resolve(all, null, " elevenlabs ")?.Id);
        Assert.Null(ProviderService.Resolve(all, null, "Unknown Service"));
    }
}
