using System.Text.Json;
using System.Text.Json.Serialization;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Backup;

/// <summary>
/// Makes an encrypted backup of one account's whole vault (every key version with its value,
/// workflows, rotations, custom services, guided-setup progress, budget), and restores one
/// into an empty vault on this or another install. Values are re-encrypted under the
/// restoring vault's own keys; every id is new, so a backup can be restored next to its
/// original on the same install.
/// </summary>
public sealed class BackupService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ActivityService activity,
    ActionLimits limits,
    SecurityNoticeService notices,
    PasswordWorkGate passwordWork,
    IOptions<VaultOptions> vaultOptions,
    TimeProvider time)
{
    public const int PayloadVersion = 1;

    /// <summary>The whole vault, values included, as an encrypted file; emails the account that a backup left.</summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<BackupCreateResult> CreateAsync(VaultSession session, string passphrase, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        if (BackupFile.PassphraseProblem(passphrase) is { } problem)
        {
            return new BackupCreateResult(null, null, problem);
        }

        if (!limits.TryTake(LimitedAction.Export, session.AccountId))
        {
            return new BackupCreateResult(null, null, RateLimitedException.MessageFor(LimitedAction.Export));
        }

        var vault = session.Vault;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accountId = session.AccountId;
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);
        var workflows = await db.Workflows.AsNoTracking().Include(w => w.KeyUses).Where(w => w.AccountId == accountId).ToListAsync(cancellationToken);
        var rotations = await db.Rotations.AsNoTracking().Include(r => r.Tasks).Where(r => r.AccountId == accountId).ToListAsync(cancellationToken);
        var providers = await db.CustomProviders.AsNoTracking().Where(p => p.AccountId == accountId).ToListAsync(cancellationToken);
        var setup = await db.SetupProgress.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);
        var budget = await db.Users.Where(u => u.Id == accountId).Select(u => u.MonthlyBudgetUsd).SingleOrDefaultAsync(cancellationToken);

        var backupKeys = new List<BackupKey>(keys.Count);
        foreach (var k in keys)
        {
            string value;
            try
            {
                value = vault.DecryptValue(k.Id, k.Environment, k.Ciphertext);
            }
            catch (VaultCryptoException)
            {
                return new BackupCreateResult(null, null, $"The stored value of “{k.Label}” ({k.Environment.Code()}) cannot be read, so no backup was made. Replace or delete that key, then try again.");
            }

            backupKeys.Add(new BackupKey(k.Id, k.SlotId, k.ProviderId, k.ProviderName, k.Environment, k.Label, value,
                k.MonthlyCapUsd, k.CapSetAtProvider, k.Status, k.IssuedAt, k.CreatedAt, k.UpdatedAt, k.RetiredAt, k.CompromisedAt, k.RotatedInAt, k.RotationDays, k.DueNowSince, k.ExportName, k.IsMock));
        }

        var now = time.GetUtcNow();
        var payload = new BackupPayload(
            PayloadVersion,
            now,
            budget,
            backupKeys,
            [.. workflows.Select(w => new BackupWorkflow(w.Id, w.Name, w.Platform, w.Environment, w.Location, w.Notes, w.CreatedAt, w.UpdatedAt,
                [.. w.KeyUses.Select(u => new BackupKeyUse(u.KeyId, u.VariableName))]))],
            [.. rotations.Select(r => new BackupRotation(r.Id, r.SlotId, r.OldKeyId, r.NewKeyId, r.Reason, r.Urgent, r.Note, r.Step, r.IsActive, r.OverrideUsed,
                r.StartedAt, r.UpdatedAt, r.OldKeyRetiredAt, r.CompletedAt, r.CancelledAt,
                [.. r.Tasks.Select(t => new BackupRotationTask(t.WorkflowId, t.WorkflowName, t.VariableName, t.UpdatedAt, t.TestedAt))]))],
            [.. providers.Select(p => new BackupProvider(p.Id, p.Name, p.KeysPageUrl, p.BillingPageUrl, p.CreatedAt))],
            setup is null ? null : new BackupSetup(setup.Step, [.. setup.ProviderIds], [.. setup.SkippedSlots], setup.UpdatedAt));

        var json = JsonSerializer.SerializeToUtf8Bytes(payload, JsonOptions);
        try
        {
            var file = await passwordWork.RunAsync(() => BackupFile.Write(json, passphrase, vaultOptions.Value.KeyDerivationIterations, now), cancellationToken);
            await activity.RecordAsync(accountId, ActivityAction.BackupCreated, origin, targetName: $"{CreatorKeys.Core.Text.Wording.Count(keys.Count, "key")}, {CreatorKeys.Core.Text.Wording.Count(workflows.Count, "workflow")}", cancellationToken: cancellationToken);
            await notices.NotifyAsync(accountId, SecurityNotice.BackupDownloaded, origin, cancellationToken);
            return new BackupCreateResult(file, $"creatorkeys-backup-{now:yyyy-MM-dd}.ckbackup", null);
        }
        catch (ServerBusyException busy)
        {
            return new BackupCreateResult(null, null, busy.Message);
        }
        finally
        {
            // Clear the serialized copy of the values (the strings themselves are left to the garbage collector).
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(json);
        }
    }

    /// <summary>
    /// Restores a backup into the signed-in, empty vault. A wrong passphrase, a damaged or
    /// altered file, a newer format, or a vault that is not empty each give a clear message
    /// and change nothing; the restore itself is one transaction.
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<BackupRestoreResult> RestoreAsync(VaultSession session, byte[] file, string passphrase, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        if (file.Length > BackupFile.MaxFileBytes)
        {
            return BackupRestoreResult.Fail($"This file is larger than any backup ({BackupFile.MaxFileBytes / (1024 * 1024)} MB at most).");
        }

        // A restore opens a file with a passphrase as costly as a sign-in: it counts toward the
        // export limit, so passphrases cannot be tried at speed (nor the server kept busy).
        if (!limits.TryTake(LimitedAction.Export, session.AccountId))
        {
            return BackupRestoreResult.Fail(RateLimitedException.MessageFor(LimitedAction.Export));
        }

        BackupReadResult read;
        try
        {
            // A file may ask for any number of rounds; more than twice this install's own is refused before any is spent.
            var maxIterations = (int)Math.Min(int.MaxValue, 2L * vaultOptions.Value.KeyDerivationIterations);
            read = await passwordWork.RunAsync(() => BackupFile.Read(file, passphrase ?? "", maxIterations), cancellationToken);
        }
        catch (ServerBusyException busy)
        {
            return BackupRestoreResult.Fail(busy.Message);
        }

        if (!read.Succeeded)
        {
            return BackupRestoreResult.Fail(read.Message!);
        }

        BackupPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<BackupPayload>(read.Payload!, JsonOptions);
        }
        catch (JsonException)
        {
            payload = null;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(read.Payload!);
        }

        if (payload is null || payload.Version > PayloadVersion || payload.Keys is null)
        {
            return BackupRestoreResult.Fail("This backup's contents cannot be read by this version of CreatorKeys. Nothing was restored.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accountId = session.AccountId;
        // One write transaction from the emptiness check to the last insert: two restores at once cannot both pass the check.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.ApiKeys.AnyAsync(k => k.AccountId == accountId, cancellationToken)
            || await db.Workflows.AnyAsync(w => w.AccountId == accountId, cancellationToken)
            || await db.CustomProviders.AnyAsync(p => p.AccountId == accountId, cancellationToken))
        {
            return BackupRestoreResult.Fail("A backup can only be restored into an empty vault, so nothing is mixed up or overwritten. Delete the keys and workflows in this vault first, or restore on a new install.");
        }

        try
        {
            var result = await RestorePayloadAsync(db, session, payload, read.CreatedAt, origin, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or DbUpdateException or NullReferenceException)
        {
            return BackupRestoreResult.Fail("This backup's contents do not fit together (a key or workflow appears twice, or a value is missing). Nothing was restored.");
        }
    }

    private async Task<BackupRestoreResult> RestorePayloadAsync(CreatorKeysDbContext db, VaultSession session, BackupPayload payload, DateTimeOffset? madeAt, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var accountId = session.AccountId;
        var vault = session.Vault;
        var keyIds = payload.Keys.ToDictionary(k => k.Id, _ => Guid.NewGuid());
        var slotIds = payload.Keys.Select(k => k.SlotId).Distinct().ToDictionary(s => s, s => keyIds.GetValueOrDefault(s, Guid.NewGuid()));
        var workflowIds = (payload.Workflows ?? []).ToDictionary(w => w.Id, _ => Guid.NewGuid());
        var now = time.GetUtcNow();

        foreach (var key in payload.Keys)
        {
            var id = keyIds[key.Id];
            db.ApiKeys.Add(new ApiKey
            {
                Id = id,
                SlotId = slotIds[key.SlotId],
                AccountId = accountId,
                ProviderId = key.ProviderId,
                ProviderName = key.ProviderName,
                Environment = key.Environment,
                Label = key.Label,
                Hint = KeyHint.For(key.Value),
                Fingerprint = vault.Fingerprint(key.Value),
                Ciphertext = vault.EncryptValue(id, key.Environment, key.Value),
                MonthlyCapUsd = key.MonthlyCapUsd,
                CapSetAtProvider = key.CapSetAtProvider,
                Status = key.Status,
                IssuedAt = key.IssuedAt,
                CreatedAt = key.CreatedAt,
                UpdatedAt = key.UpdatedAt,
                RetiredAt = key.RetiredAt,
                CompromisedAt = key.CompromisedAt,
                RotatedInAt = key.RotatedInAt,
                RotationDays = key.RotationDays,
                DueNowSince = key.DueNowSince,
                ExportName = key.ExportName,
                IsMock = key.IsMock,
            });
        }

        foreach (var workflow in payload.Workflows ?? [])
        {
            var id = workflowIds[workflow.Id];
            db.Workflows.Add(new Workflow
            {
                Id = id,
                AccountId = accountId,
                Name = workflow.Name,
                Platform = workflow.Platform,
                Environment = workflow.Environment,
                Location = workflow.Location,
                Notes = workflow.Notes,
                CreatedAt = workflow.CreatedAt,
                UpdatedAt = workflow.UpdatedAt,
                KeyUses = [.. workflow.KeyUses.Where(u => keyIds.ContainsKey(u.KeyId)).Select(u => new WorkflowKeyUse { Id = Guid.NewGuid(), WorkflowId = id, KeyId = keyIds[u.KeyId], VariableName = u.VariableName })],
            });
        }

        foreach (var rotation in (payload.Rotations ?? []).Where(r => keyIds.ContainsKey(r.OldKeyId)))
        {
            var id = Guid.NewGuid();
            db.Rotations.Add(new KeyRotation
            {
                Id = id,
                AccountId = accountId,
                SlotId = slotIds.GetValueOrDefault(rotation.SlotId, keyIds[rotation.OldKeyId]),
                OldKeyId = keyIds[rotation.OldKeyId],
                NewKeyId = rotation.NewKeyId is { } newKey && keyIds.TryGetValue(newKey, out var mapped) ? mapped : null,
                Reason = rotation.Reason,
                Urgent = rotation.Urgent,
                Note = rotation.Note,
                Step = rotation.Step,
                IsActive = rotation.IsActive,
                OverrideUsed = rotation.OverrideUsed,
                StartedAt = rotation.StartedAt,
                UpdatedAt = rotation.UpdatedAt,
                OldKeyRetiredAt = rotation.OldKeyRetiredAt,
                CompletedAt = rotation.CompletedAt,
                CancelledAt = rotation.CancelledAt,
                Tasks = [.. rotation.Tasks.Select(t => new RotationTask
                {
                    Id = Guid.NewGuid(),
                    RotationId = id,
                    WorkflowId = workflowIds.GetValueOrDefault(t.WorkflowId, t.WorkflowId),
                    WorkflowName = t.WorkflowName,
                    VariableName = t.VariableName,
                    UpdatedAt = t.UpdatedAt,
                    TestedAt = t.TestedAt,
                })],
            });
        }

        foreach (var provider in payload.Providers ?? [])
        {
            db.CustomProviders.Add(new CustomProvider { Id = provider.Id, AccountId = accountId, Name = provider.Name, KeysPageUrl = provider.KeysPageUrl, BillingPageUrl = provider.BillingPageUrl, CreatedAt = provider.CreatedAt });
        }

        if (payload.Setup is { } setup)
        {
            var progress = await db.SetupProgress.SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);
            if (progress is null)
            {
                progress = new SetupProgress { AccountId = accountId };
                db.SetupProgress.Add(progress);
            }

            progress.Step = setup.Step;
            progress.ProviderIds = [.. setup.ProviderIds];
            progress.SkippedSlots = [.. setup.SkippedSlots];
            progress.UpdatedAt = now;
        }

        var account = await db.Users.SingleAsync(u => u.Id == accountId, cancellationToken);
        account.MonthlyBudgetUsd ??= payload.MonthlyBudgetUsd;
        activity.Stage(db, accountId, ActivityAction.BackupRestored, origin, targetName: $"{CreatorKeys.Core.Text.Wording.Count(payload.Keys.Count, "key")}, {CreatorKeys.Core.Text.Wording.Count(payload.Workflows?.Count ?? 0, "workflow")} from a backup of {(madeAt is { } made ? CreatorKeys.Core.Text.Wording.Day(DateOnly.FromDateTime(made.UtcDateTime)) : "an unknown day")}");
        await db.SaveChangesAsync(cancellationToken);
        return new BackupRestoreResult(true, null, payload.Keys.Count, payload.Workflows?.Count ?? 0, madeAt);
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };
}

public sealed record BackupCreateResult(byte[]? Content, string? FileName, string? Error)
{
    public bool Succeeded => Content is not null;
}

public sealed record BackupRestoreResult(bool Succeeded, string? Error, int Keys, int Workflows, DateTimeOffset? MadeAt)
{
    public static BackupRestoreResult Fail(string error) => new(false, error, 0, 0, null);
}

internal sealed record BackupPayload(
    int Version,
    DateTimeOffset CreatedAt,
    decimal? MonthlyBudgetUsd,
    IReadOnlyList<BackupKey> Keys,
    IReadOnlyList<BackupWorkflow>? Workflows,
    IReadOnlyList<BackupRotation>? Rotations,
    IReadOnlyList<BackupProvider>? Providers,
    BackupSetup? Setup);

internal sealed record BackupKey(
    Guid Id, Guid SlotId, string? ProviderId, string ProviderName, VaultEnvironment Environment, string Label, string Value,
    decimal? MonthlyCapUsd, bool CapSetAtProvider, KeyStatus Status, DateTimeOffset? IssuedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? RetiredAt, DateTimeOffset? CompromisedAt, DateTimeOffset? RotatedInAt, int RotationDays, DateTimeOffset? DueNowSince, string? ExportName = null, bool IsMock = false);

internal sealed record BackupWorkflow(Guid Id, string Name, WorkflowPlatform Platform, VaultEnvironment Environment, string? Location, string? Notes,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<BackupKeyUse> KeyUses);

internal sealed record BackupKeyUse(Guid KeyId, string VariableName);

internal sealed record BackupRotation(Guid Id, Guid SlotId, Guid OldKeyId, Guid? NewKeyId, RotationReason Reason, bool Urgent, string? Note, RotationStep Step,
    bool IsActive, bool OverrideUsed, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, DateTimeOffset? OldKeyRetiredAt, DateTimeOffset? CompletedAt,
    DateTimeOffset? CancelledAt, IReadOnlyList<BackupRotationTask> Tasks);

internal sealed record BackupRotationTask(Guid WorkflowId, string WorkflowName, string VariableName, DateTimeOffset? UpdatedAt, DateTimeOffset? TestedAt);

internal sealed record BackupProvider(string Id, string Name, string? KeysPageUrl, string? BillingPageUrl, DateTimeOffset CreatedAt);

internal sealed record BackupSetup(int Step, IReadOnlyList<string> ProviderIds, IReadOnlyList<string> SkippedSlots, DateTimeOffset UpdatedAt);
