using System.Text;
using System.Text.Json;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Import;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Validation;

/// <summary>
/// Bad input through every form's service: over-long, empty and blank text, control
/// characters, hidden direction marks and invisible characters, absurd caps and schedules, a
/// 10,000-line .env and 50 MB uploads. Each is refused with a message, and nothing already
/// stored changes. Emoji, other scripts and HTML-looking text are stored exactly as typed.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private KeySummary _key = default!;
    private Workflow _workflow = default!;

    private string AccountId => _session.AccountId;

    public static TheoryData<string, string> BadNames => new()
    {
        { "", "empty" },
        { "   \t ", "blank" },
        { "PROD — OpenAI — " + new string('x', 600), "over-long" },
        { "PROD — OpenAI \u202Egnp.exe", "right-to-left override" },
        { "PROD\u200F — OpenAI — 2026-11-23", "right-to-left mark" },
        { "PROD\u2066 — OpenAI\u2069 — 2026-11-23", "direction isolate" },
        { "PROD — Open\u200BAI — 2026-11-23", "zero-width space" },
        { "PROD — OpenAI\uFEFF — 2026-11-23", "byte-order mark" },
        { "PROD — OpenAI\0 — 2026-11-23", "NUL" },
        { "PROD — OpenAI \u001B[31mred\u001B[0m", "terminal escape code" },
        { "PROD — OpenAI — 2026-11-23\nsecond line", "line break" },
    };

    public static TheoryData<string> GoodNames => new()
    {
        "PROD — OpenAI — 🎬 shorts — Created 2026-11-23",
        "PROD — OpenAI — 👩‍👩‍👧 family channel 2026-11-23",
        "PROD — OpenAI — ערוץ ראשי — 2026-11-23",
        "PROD — OpenAI — القناة الرئيسية — 2026-11-23",
        "PROD — OpenAI — <script>alert('x')</script> & <b>bold</b> 2026-11-23",
    };

    public static TheoryData<decimal> BadCaps => new() { -1m, -0.01m, 100_000.01m, 1_000_000_000_000m };

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync();
        (_, _session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(_session);
        _key = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), label: "PROD — OpenAI — Created 2026-11-23");
        var (workflow, errors) = await Service<WorkflowService>().SaveAsync(AccountId, null, new WorkflowInput("Daily shorts", WorkflowPlatform.Make, VaultEnvironment.Prod, "make.com/scenario/1", "Runs at 9.", [new KeyUseInput(_key.Id, "OPENAI_API_KEY")]), TestAccounts.Origin);
        Assert.Empty(errors);
        _workflow = workflow!;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task BadText_InEveryNameField_IsRefusedWithAMessage_AndChangesNothing(string text, string kind)
    {
        var before = await SnapshotAsync();
        var messages = new Dictionary<string, string?>();

        var added = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, text, TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true);
        messages["new key name"] = added.Succeeded ? null : added.Errors.GetValueOrDefault(nameof(NewKeyInput.Label));
        var edited = await _host.Vault.UpdateKeyAsync(AccountId, _key.Id, new EditKeyInput(text, 5m, false), TestAccounts.Origin);
        messages["key name"] = edited.Succeeded ? null : edited.Errors.GetValueOrDefault(nameof(EditKeyInput.Label));
        var renamed = await Service<WorkflowService>().SaveAsync(AccountId, _workflow.Id, Input(name: text), TestAccounts.Origin);
        messages["workflow name"] = renamed.Errors.GetValueOrDefault(nameof(WorkflowInput.Name));
        var variable = await Service<WorkflowService>().SaveAsync(AccountId, _workflow.Id, Input(variable: text), TestAccounts.Origin);
        messages["variable name"] = variable.Errors.GetValueOrDefault($"{WorkflowInput.KeyUsesField}[0]");
        var rotation = await Service<RotationService>().StartAsync(AccountId, _key.Id, RotationReason.Other, kind is "empty" or "blank" ? new string('n', 600) : text + "\u202E", TestAccounts.Origin);
        messages["rotation note"] = rotation.Succeeded ? null : rotation.Error;
        var (provider, providerErrors) = await Service<ProviderService>().AddCustomAsync(AccountId, text, "https://example.com/keys", null, TestAccounts.Origin);
        messages["service name"] = provider is null ? providerErrors.Values.FirstOrDefault() : null;

        var missing = messages.Where(m => string.IsNullOrWhiteSpace(m.Value)).Select(m => m.Key).ToList();
        Assert.True(missing.Count == 0, $"{kind}: accepted or refused without a message in: {string.Join(", ", missing)}");
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(GoodNames))]
    public async Task Emoji_OtherScripts_AndHtmlLookingText_AreStoredExactlyAsTyped(string name)
    {
        var added = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, name, TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true);
        var (workflow, errors) = await Service<WorkflowService>().SaveAsync(AccountId, null, Input(name: name[..Math.Min(name.Length, Workflow.MaxNameLength)]), TestAccounts.Origin);

        Assert.True(added.Succeeded, string.Join(" ", added.Errors.Values));
        Assert.Empty(errors);
        Assert.Contains(await _host.Vault.ListKeysAsync(AccountId), k => k.Label == name);
        Assert.Equal(name[..Math.Min(name.Length, Workflow.MaxNameLength)], (await Service<WorkflowService>().FindAsync(AccountId, workflow!.Id))!.Name);
    }

    [Theory]
    [MemberData(nameof(BadCaps))]
    public async Task AbsurdOrNegativeCaps_AreRefusedWithAMessage_AndChangeNothing(decimal cap)
    {
        var before = await SnapshotAsync();

        var added = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "DEV — OpenAI — Created 2026-11-23", TestAccounts.NewKeyValue(), MonthlyCapUsd: cap), TestAccounts.Origin, acceptShapeWarning: true);
        var edited = await _host.Vault.UpdateKeyAsync(AccountId, _key.Id, new EditKeyInput(_key.Label, cap, true), TestAccounts.Origin);
        var capOnly = await _host.Vault.UpdateCapAsync(AccountId, _key.Id, cap, true, TestAccounts.Origin);
        var budget = await Service<SetupService>().SetMonthlyBudgetAsync(AccountId, cap, TestAccounts.Origin);

        Assert.False(added.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(added.Errors.GetValueOrDefault(nameof(NewKeyInput.MonthlyCapUsd))));
        Assert.False(string.IsNullOrWhiteSpace(edited.Errors.GetValueOrDefault(nameof(EditKeyInput.MonthlyCapUsd))));
        Assert.False(capOnly.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(budget));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-30)]
    [InlineData(366)]
    [InlineData(int.MaxValue)]
    public async Task ImpossibleSchedules_AreRefusedWithAMessage(int days)
    {
        var before = await SnapshotAsync();

        var result = await Service<RotationPolicyService>().SetPolicyAsync(AccountId, _key.Id, days, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(400)]
    [InlineData(-30_000)]
    public async Task ImpossibleCreationDates_AreRefusedWithAMessage_ByHandAndOnImport(int daysFromNow)
    {
        var before = await SnapshotAsync();
        var on = _host.Time.GetUtcNow().AddDays(daysFromNow);

        var added = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "DEV — OpenAI — Created 2026-11-23", TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(on)), TestAccounts.Origin, acceptShapeWarning: true);
        var import = Service<ImportService>();
        var preview = await import.PrepareAsync(_session, $"OPENAI_API_KEY={TestAccounts.NewKeyValue()}", VaultEnvironment.Dev);
        var imported = await import.ImportAsync(_session, preview.Candidates, TestAccounts.Origin, on);

        Assert.Contains("cannot be in the future or before 2000", added.Errors.GetValueOrDefault(nameof(NewKeyInput.IssueDate)), StringComparison.Ordinal);
        Assert.Empty(imported.Stored);
        Assert.Contains("cannot be in the future", Assert.Single(imported.Refused).Reason, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task TenThousandLineEnvFile_IsRefusedAsTooLarge_AndAShortOneOfJunkLinesIsHarmless()
    {
        var before = await SnapshotAsync();
        var import = Service<ImportService>();
        var huge = string.Join('\n', Enumerable.Range(0, 10_000).Select(i => $"SERVICE_{i}_API_KEY=sk-proj-{i:D6}abcdefghijklmnopqrstuvwxyz0123456789"));
        var junk = string.Join('\n', Enumerable.Range(0, 10_000).Select(i => i % 3 == 0 ? "#" : i % 3 == 1 ? "" : "=\u0001"));

        var refused = await import.PrepareAsync(_session, huge, VaultEnvironment.Dev);
        var harmless = await import.PrepareAsync(_session, junk, VaultEnvironment.Dev);

        Assert.Equal(ImportService.TooLargeMessage, refused.Error);
        Assert.Empty(refused.Candidates);
        Assert.Null(harmless.Error);
        Assert.Empty(harmless.Candidates);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task FiftyMegabyteUploads_AreRefusedBeforeBeingRead_AndChangeNothing()
    {
        var before = await SnapshotAsync();
        const int FiftyMegabytes = 50 * 1024 * 1024;
        await using var envFile = new CountingStream(FiftyMegabytes);

        var env = await Service<ImportService>().PrepareAsync(_session, envFile, VaultEnvironment.Dev);
        var backup = await Service<BackupService>().RestoreAsync(_session, new byte[FiftyMegabytes], "any passphrase at all", TestAccounts.Origin);

        Assert.Equal(ImportService.TooLargeMessage, env.Error);
        Assert.True(envFile.BytesRead <= ImportService.MaxFileBytes + 1, $"read {envFile.BytesRead:N0} bytes of a file known to be too large");
        Assert.False(backup.Succeeded);
        Assert.Contains("larger than any backup", backup.Error, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    private WorkflowInput Input(string? name = null, string? variable = null) =>
        new(name ?? "Daily shorts", WorkflowPlatform.Make, VaultEnvironment.Prod, "make.com/scenario/1", "Runs at 9.", [new KeyUseInput(_key.Id, variable ?? "OPENAI_API_KEY")]);

    private T Service<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    private async Task<string> SnapshotAsync()
    {
        await using var db = await Service<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return JsonSerializer.Serialize(new
        {
            Keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => new { k.Id, k.Label, k.MonthlyCapUsd, k.CapSetAtProvider, k.RotationDays, k.DueOn, k.Ciphertext }).ToListAsync(),
            Workflows = await db.Workflows.AsNoTracking().OrderBy(w => w.Id).Select(w => new { w.Id, w.Name, w.Location, w.Notes }).ToListAsync(),
            Uses = await db.WorkflowKeyUses.AsNoTracking().OrderBy(u => u.KeyId).Select(u => new { u.WorkflowId, u.KeyId, u.VariableName }).ToListAsync(),
            Providers = await db.CustomProviders.AsNoTracking().CountAsync(),
            Rotations = await db.Rotations.AsNoTracking().CountAsync(),
            Budget = await db.Users.AsNoTracking().Select(u => u.MonthlyBudgetUsd).SingleAsync(),
        });
    }

    /// <summary>A stream of zeros of a given length that counts how much of it was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            Array.Clear(buffer, offset, n);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
