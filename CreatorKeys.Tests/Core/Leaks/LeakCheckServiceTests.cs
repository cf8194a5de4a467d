using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Leaks;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Leaks;

public sealed class LeakCheckServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private VaultSession _session = default!;

    private LeakCheckService Leaks => _host.Services.GetRequiredService<LeakCheckService>();

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync();
        (_, _session, _) = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Check_FindsStoredKeysInProseJsonUrlsAndWrappedLines()
    {
        var prod = TestAccounts.NewKeyValue();
        var dev = TestAccounts.NewKeyValue();
        var staging = TestAccounts.NewKeyValue();
        var wrapped = TestAccounts.NewKeyValue();
        var keys = new[]
        {
            await _host.AddKeyAsync(_session, prod, VaultEnvironment.Prod, label: "PROD — OpenAI — main"),
            await _host.AddKeyAsync(_session, dev, VaultEnvironment.Dev),
            await _host.AddKeyAsync(_session, staging, VaultEnvironment.Staging),
            await _host.AddKeyAsync(_session, wrapped, VaultEnvironment.Dev, provider: "Runway"),
        };
        var text = $"""
            Hi team, for the demo use {prod}.
            {"{"}"openai": {"{"}"key": "{dev}"{"}"}{"}"}
            GET https://api.example.com/v1/chat?key={staging}&stream=true
            pasted from chat: {wrapped[..18]}
            {wrapped[18..]}
            """;

        var report = await Leaks.CheckAsync(_session, text, TestAccounts.Origin);

        Assert.Null(report.Error);
        Assert.Equal(keys.Select(k => k.Id).Order(), report.Yours.Select(y => y.Key.Id).Order());
        Assert.Equal(1, report.Yours.Single(y => y.Key.Label == "PROD — OpenAI — main").Line);
        Assert.Empty(report.Unknown);
    }

    [Fact]
    public async Task Check_UnknownKeyShapedStrings_AreReportedByHintOnly_HashesAndWordsAreNot()
    {
        await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue());
        const string Stranger = "r8_Zz9yXx8wWv7uUt6sSr5qQp4oOn3mMl2kKj1A7";

        var report = await Leaks.CheckAsync(_session,
            $"deploy 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12 passed; internationalization done. token {Stranger} leaked?", TestAccounts.Origin);

        Assert.Empty(report.Yours);
        var unknown = Assert.Single(report.Unknown);
        Assert.Equal(("r8_…j1A7", "Replicate"), (unknown.Hint, unknown.LooksLike));
        Assert.DoesNotContain(Stranger, unknown.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AnotherAccountsKey_IsNotYours()
    {
        await using var open = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        var (_, owner, _) = await open.SignUpAsync(TestAccounts.Email);
        var (_, other, _) = await open.SignUpAsync(TestAccounts.OtherEmail);
        var value = TestAccounts.NewKeyValue();
        await open.AddKeyAsync(owner, value);

        var report = await open.Services.GetRequiredService<LeakCheckService>().CheckAsync(other, $"key: {value}", TestAccounts.Origin);

        Assert.Empty(report.Yours);
        Assert.Single(report.Unknown);
    }

    [Fact]
    public async Task Check_NeverRecordsTheText()
    {
        var value = TestAccounts.NewKeyValue();
        await _host.AddKeyAsync(_session, value);

        await Leaks.CheckAsync(_session, $"secret stuff {value} and a password hunter2hunter2", TestAccounts.Origin);

        var entry = Assert.Single(await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(_session.AccountId, 50), e => e.Action == ActivityAction.LeakCheckRun);
        Assert.Equal("Found 1 of your keys and 0 other key-shaped strings", entry.TargetName);
        foreach (var (_, bytes) in _host.Folder.AllFiles())
        {
            Assert.True(bytes.AsSpan().IndexOf("hunter2hunter2"u8) < 0);
        }
    }

    [Fact]
    public async Task Check_TooMuchText_IsRefusedPlainly()
    {
        var report = await Leaks.CheckAsync(_session, new string('a', LeakCheckService.MaxTextBytes + 1), TestAccounts.Origin);

        Assert.Contains("more than 256 KB", report.Error, StringComparison.Ordinal);
    }
}
