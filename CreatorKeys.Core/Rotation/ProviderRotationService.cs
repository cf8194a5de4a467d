using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Rotation;

/// <summary>
/// Rotation steps 1 and 4 through the provider's own API, with the creator's management or admin key: create the new
/// key (named with the dated label, capped where the provider takes a limit) and delete the old one. Each use of the
/// management key needs the "confirm it's you" window and is written to the activity log (names, never values).
/// Crash safety: a marker is saved on the rotation BEFORE the create call and the provider's key id right after it
/// returns, so if the app stops before the value is stored, the resumed rotation names the orphan key (decision 018).
/// </summary>
public sealed class ProviderRotationService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    IEnumerable<IProviderKeyRotation> rotations,
    ProviderApi api,
    RotationService rotationService,
    VaultService vault,
    ActivityService activity,
    TimeProvider time)
{
    private readonly Dictionary<string, IProviderKeyRotation> _byProvider = rotations.ToDictionary(r => r.ProviderId, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Test hook (fault injection): runs after the provider created the key and its id was saved, before the value is
    /// stored. A throw here is the app stopping at the worst moment.
    /// </summary>
    internal Func<Task>? AfterCreatedAtProvider { get; set; }

    /// <summary>Whether the provider has key-management calls CreatorKeys can make (whatever this install's setting).</summary>
    public bool Supports(string? providerId) => providerId is not null && _byProvider.ContainsKey(providerId);

    /// <summary>What the rotation page can offer for this rotation: one click at step 1 and/or step 4, or why not.</summary>
    public async Task<ProviderRotationSupport> SupportAsync(string accountId, KeyRotation rotation, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var old = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == rotation.OldKeyId && k.AccountId == accountId, cancellationToken);
        if (old is null)
        {
            return ProviderRotationSupport.None;
        }

        var name = old.ProviderName;
        if (old.ProviderId is null || !_byProvider.TryGetValue(old.ProviderId, out var provider))
        {
            return ProviderRotationSupport.None with { ProviderName = name };
        }

        if (!api.CallsAllowed)
        {
            return ProviderRotationSupport.None with { ProviderName = name, WhyNot = "Calls to providers are turned off on this CreatorKeys, so keys are created and deleted by hand." };
        }

        var management = await FindManagementKeyAsync(db, accountId, old.ProviderId, cancellationToken);
        if (management is null)
        {
            return ProviderRotationSupport.None with
            {
                ProviderName = name,
                WhyNot = $"Store your {name} {ManagementKeys.KindOf(old.ProviderId)} in PROD and mark it as a management key, and CreatorKeys can create and delete {name} keys for you." +
                    (provider.NotOfferedText is not null ? $" ({name} offers this only to workspaces with several seats; on a single-seat account, keep creating keys by hand.)" : ""),
            };
        }

        var newKey = rotation.NewKeyId is { } newId ? await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == newId, cancellationToken) : null;
        return new ProviderRotationSupport(
            name,
            ManagementKeyLabel: management.Label,
            CanCreate: provider.CanCreate,
            NeedsProject: provider.NeedsProject,
            ProjectId: old.ProviderProjectId,
            CanRetireOld: old.ProviderKeyId is not null && (!provider.NeedsProject || old.ProviderProjectId is not null),
            OldKeyProviderId: old.ProviderKeyId,
            NewKeyProviderId: newKey?.ProviderKeyId,
            WhyNot: null)
        {
            ProjectNoun = provider.ProjectNoun,
            LimitUnit = provider.LimitUnit,
        };
    }

    /// <summary>OpenAI: the projects the new key can go in, listed with the admin key (ElevenLabs: the service accounts).</summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<(IReadOnlyList<ProviderProject> Projects, string? Error)> ListProjectsAsync(VaultSession session, Guid rotationId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var context = await LoadAsync(db, session, rotationId, cancellationToken);
        if (context.Error is { } error)
        {
            return ([], error);
        }

        var (old, management, provider, managementValue) = context.Parts!.Value;
        var noun = provider.ProjectNoun;
        activity.Stage(db, session.AccountId, ActivityAction.ManagementKeyUsed, origin, management.Id.ToString(), $"{management.Label}: listed the {noun}s", management.Environment);
        await db.SaveChangesAsync(cancellationToken);
        var listed = await provider.ListProjectsAsync(managementValue, cancellationToken);
        if (listed.Failure is ProviderFailure.NotOffered && provider.NotOfferedText is { } notOffered)
        {
            return ([], notOffered);
        }

        return listed.Succeeded
            ? (listed.Value!, listed.Value!.Count == 0 ? $"{old.ProviderName} lists no {noun} this admin key can use. Create a {noun} at {old.ProviderName} first{(provider.NotOfferedText is null ? "" : " (Workspace settings, Service accounts)")}, or create the key by hand below." : null)
            : ([], $"{old.ProviderName} did not list the {noun}s: {Why(listed.Failure!.Value, old.ProviderName, provider)}");
    }

    /// <summary>
    /// Step 1 in one click: creates the new key at the provider, stores it as the rotation's pending key with its
    /// provider id, and (OpenRouter) reads its limit back to mark the cap verified. Every failure says what state the
    /// vault and the provider are in. <paramref name="characterLimit"/>: the monthly character limit the creator typed,
    /// for a provider whose keys take characters (ElevenLabs): a dollar cap is never converted into characters.
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<ProviderStepResult> CreateNewKeyAsync(
        VaultSession session, Guid rotationId, string label, string? projectId, RequestOrigin origin, long? characterLimit = null, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        label = label.Trim();
        if (KeyFields.ValidateLabel(label) is { } labelError)
        {
            return ProviderStepResult.Failed(labelError);
        }

        ProviderKeyRequest request;
        IProviderKeyRotation provider;
        string managementValue;
        string providerName;
        decimal? cap;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var context = await LoadAsync(db, session, rotationId, cancellationToken);
            if (context.Error is { } error)
            {
                return ProviderStepResult.Failed(error);
            }

            (var old, var management, provider, managementValue) = context.Parts!.Value;
            providerName = old.ProviderName;
            var rotation = context.Rotation!;
            if (rotation.Step != RotationStep.NewKey)
            {
                return ProviderStepResult.Failed("This rotation has moved on (perhaps in another window). The page now shows where it is.");
            }

            if (rotation.HasOrphanAtProvider)
            {
                return ProviderStepResult.Failed(OrphanText(rotation, providerName));
            }

            if (!provider.CanCreate)
            {
                return ProviderStepResult.Failed($"{providerName}'s API cannot create keys: create it on {providerName}'s site and paste it here.");
            }

            projectId = string.IsNullOrWhiteSpace(projectId) ? old.ProviderProjectId : projectId.Trim();
            if (provider.NeedsProject && projectId is null)
            {
                return ProviderStepResult.Failed($"Choose the {providerName} {provider.ProjectNoun} the new key belongs to.");
            }

            if (characterLimit is <= 0)
            {
                return ProviderStepResult.Failed("A character limit is a whole number above 0, or leave it empty for none.");
            }

            cap = provider.LimitUnit == SpendUnit.Dollars ? old.MonthlyCapUsd : null;
            request = new ProviderKeyRequest(label, cap, provider.NeedsProject ? projectId : null)
            {
                CharacterLimit = provider.LimitUnit == SpendUnit.Characters ? characterLimit : null,
                ReplacesKeyId = old.ProviderKeyId,
            };

            // The marker goes to the database BEFORE the call: whatever happens next, the rotation knows a key may exist.
            var now = time.GetUtcNow();
            rotation.ProviderCreateStartedAt = now;
            rotation.ProviderCreateName = label;
            rotation.ProviderCreatedKeyId = null;
            rotation.ProviderCreatedProjectId = request.ProjectId;
            rotation.UpdatedAt = now;
            activity.Stage(db, session.AccountId, ActivityAction.ManagementKeyUsed, origin, management.Id.ToString(), $"{management.Label}: create “{label}”", management.Environment);
            await db.SaveChangesAsync(cancellationToken);
        }

        var created = await provider.CreateAsync(managementValue, request, cancellationToken);
        if (!created.Succeeded)
        {
            if (created.Failure is ProviderFailure.NoAnswer)
            {
                // Unknown whether the key exists: the marker stays, and the page names the key to look for.
                return ProviderStepResult.Failed(
                    $"{providerName} did not answer, so it is not known whether it created “{label}”. Nothing was stored in your vault. " +
                    $"Open {providerName}'s keys page: if “{label}” is there, delete it, then tell CreatorKeys below and try again.");
            }

            await ClearMarkerAsync(session.AccountId, rotationId, cancellationToken);
            return ProviderStepResult.Failed($"{providerName} did not create the key: {Why(created.Failure!.Value, providerName, provider)} Nothing changed in your vault or at {providerName}. Try again, or create the key by hand and paste it.");
        }

        var fresh = created.Value!;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // The id right after the call returns: from here on the orphan, if any, can be deleted through the API.
            var rotation = await db.Rotations.SingleAsync(r => r.Id == rotationId && r.AccountId == session.AccountId, cancellationToken);
            rotation.ProviderCreatedKeyId = fresh.KeyId;
            rotation.ProviderCreatedProjectId = fresh.ProjectId;
            await db.SaveChangesAsync(cancellationToken);
        }

        if (AfterCreatedAtProvider is { } fault)
        {
            await fault();
        }

        var (outcome, added) = await rotationService.AddNewKeyAsync(session, rotationId, label, fresh.Value, origin, acceptShapeWarning: true, fresh, cancellationToken);
        if (added?.Succeeded != true)
        {
            var why = added?.Errors.Values.FirstOrDefault() ?? outcome.Error ?? "the vault refused it";
            var cleanup = await provider.RetireAsync(managementValue, fresh.KeyId, fresh.ProjectId, cancellationToken);
            if (cleanup.Succeeded)
            {
                await ClearMarkerAsync(session.AccountId, rotationId, cancellationToken);
                return ProviderStepResult.Failed($"The new key could not be stored ({why}), so CreatorKeys deleted it again at {providerName}. Nothing changed. Fix the name and try again.");
            }

            return ProviderStepResult.Failed($"The new key could not be stored ({why}), and deleting it again at {providerName} failed: {Why(cleanup.Failure!.Value, providerName)} The page names the key so you can delete it.");
        }

        var message = $"{providerName} created “{label}” and it is stored in your vault as the new key, not yet in use.";
        if (cap is { } limit)
        {
            var readBack = await provider.ReadLimitAsync(managementValue, fresh.KeyId, cancellationToken);
            if (readBack is { Succeeded: true, Value: { } providerLimit } && providerLimit == limit)
            {
                await vault.UpdateCapAsync(session.AccountId, added.Key!.Id, limit, capSetAtProvider: true, origin, cancellationToken);
                message += $" Its ${limit:0.##} monthly cap is set at {providerName}: checked.";
            }
            else if (readBack.Failure is not ProviderFailure.NotSent)
            {
                message += $" Set its ${limit:0.##} monthly cap at {providerName} yourself: CreatorKeys could not confirm it there.";
            }
        }

        if (request.CharacterLimit is { } characters)
        {
            var readBack = await provider.ReadLimitAsync(managementValue, fresh.KeyId, cancellationToken);
            var figure = characters.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture);
            message += readBack is { Succeeded: true, Value: { } providerLimit } && providerLimit == characters
                ? $" Its limit of {figure} characters a month is set at {providerName}: checked."
                : $" CreatorKeys could not confirm its limit of {figure} characters a month at {providerName}: look at the key there.";
        }

        return ProviderStepResult.Done(message);
    }

    /// <summary>Deletes the key a stopped or failed create left at the provider (the orphan), then clears the marker.</summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<ProviderStepResult> DeleteOrphanAsync(VaultSession session, Guid rotationId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var context = await LoadAsync(db, session, rotationId, cancellationToken);
        if (context.Error is { } error)
        {
            return ProviderStepResult.Failed(error);
        }

        var (old, management, provider, managementValue) = context.Parts!.Value;
        var rotation = context.Rotation!;
        if (!rotation.HasOrphanAtProvider)
        {
            return ProviderStepResult.Done("There is no key left over at the provider.");
        }

        if (rotation.ProviderCreatedKeyId is not { } orphanId)
        {
            return ProviderStepResult.Failed($"CreatorKeys does not know the id of “{rotation.ProviderCreateName}” (no answer came back), so it cannot delete it for you. Delete it on {old.ProviderName}'s keys page, then tell CreatorKeys.");
        }

        activity.Stage(db, session.AccountId, ActivityAction.ManagementKeyUsed, origin, management.Id.ToString(), $"{management.Label}: delete the unstored “{rotation.ProviderCreateName}”", management.Environment);
        await db.SaveChangesAsync(cancellationToken);
        var deleted = await provider.RetireAsync(managementValue, orphanId, rotation.ProviderCreatedProjectId, cancellationToken);
        if (!deleted.Succeeded)
        {
            return ProviderStepResult.Failed($"“{rotation.ProviderCreateName}” is still at {old.ProviderName}: {Why(deleted.Failure!.Value, old.ProviderName, provider)} Try again, or delete it on {old.ProviderName}'s keys page.");
        }

        var name = rotation.ProviderCreateName;
        ResetMarker(rotation);
        await db.SaveChangesAsync(cancellationToken);
        return ProviderStepResult.Done(deleted.Value ? $"“{name}” is deleted at {old.ProviderName}. You can create the new key again." : $"“{name}” was already gone at {old.ProviderName}. You can create the new key again.");
    }

    /// <summary>
    /// Cancels a rotation that left a key at the provider (the orphan): deletes it there through the API first, and
    /// cancels only once it is gone, so cancelling never silently leaves a working key behind.
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<ProviderStepResult> DeleteOrphanAndCancelAsync(VaultSession session, Guid rotationId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        var rotation = await rotationService.GetAsync(session.AccountId, rotationId, cancellationToken);
        var name = rotation?.ProviderCreateName;
        var deleted = await DeleteOrphanAsync(session, rotationId, origin, cancellationToken);
        if (!deleted.Succeeded)
        {
            return ProviderStepResult.Failed($"{deleted.Message} The rotation is not cancelled.");
        }

        var cancelled = await rotationService.CancelAsync(session.AccountId, rotationId, origin, cancellationToken);
        var gone = name is null ? "The key left at the provider is gone" : $"“{name}” is gone at the provider";
        return cancelled.Succeeded
            ? ProviderStepResult.Done($"{gone}, and the rotation is cancelled: the old key stays in use.")
            : ProviderStepResult.Failed($"{gone}, but the rotation was not cancelled: {cancelled.Error}");
    }

    /// <summary>The creator deleted the orphan by hand (or found none): forget it.</summary>
    public async Task ForgetOrphanAsync(string accountId, Guid rotationId, CancellationToken cancellationToken = default) =>
        await ClearMarkerAsync(accountId, rotationId, cancellationToken);

    /// <summary>Step 4 in one click: deletes (Anthropic: deactivates) the old key at the provider by its stored id.</summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<ProviderStepResult> RetireOldKeyAsync(VaultSession session, Guid rotationId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var context = await LoadAsync(db, session, rotationId, cancellationToken);
        if (context.Error is { } error)
        {
            return ProviderStepResult.Failed(error);
        }

        var (old, management, provider, managementValue) = context.Parts!.Value;
        if (context.Rotation!.Step != RotationStep.DeleteAtProvider)
        {
            return ProviderStepResult.Failed("The old key can be deleted at the provider only after it is retired here (step 3).");
        }

        if (old.ProviderKeyId is not { } oldId)
        {
            return ProviderStepResult.Failed($"CreatorKeys does not know {old.ProviderName}'s id of the old key. Add it on the key's page, or delete the key on {old.ProviderName}'s keys page.");
        }

        activity.Stage(db, session.AccountId, ActivityAction.ManagementKeyUsed, origin, management.Id.ToString(), $"{management.Label}: {(provider.CanCreate ? "delete" : "deactivate")} “{old.Label}”", management.Environment);
        await db.SaveChangesAsync(cancellationToken);
        var retired = await provider.RetireAsync(managementValue, oldId, old.ProviderProjectId, cancellationToken);
        if (!retired.Succeeded)
        {
            return ProviderStepResult.Failed($"The old key still works at {old.ProviderName}: {Why(retired.Failure!.Value, old.ProviderName, provider)} Your vault is unchanged. Try again, or delete it on {old.ProviderName}'s keys page (the one ending {KeyHint.Ending(old.Hint) ?? old.Hint}).");
        }

        return ProviderStepResult.Done(retired.Value
            ? provider.CanCreate ? $"The old key is deleted at {old.ProviderName}." : $"The old key is deactivated at {old.ProviderName}: it no longer works."
            : $"The old key was already gone at {old.ProviderName}.");
    }

    /// <summary>The orphan in plain words, for the page: a key the provider has that the vault never stored.</summary>
    public static string OrphanText(KeyRotation rotation, string providerName) => rotation.ProviderCreatedKeyId is null
        ? $"{providerName} may have a key “{rotation.ProviderCreateName}” that CreatorKeys never stored (the app stopped or {providerName} did not answer while creating it). Look on {providerName}'s keys page and delete it if it is there."
        : $"{providerName} has a key “{rotation.ProviderCreateName}” that CreatorKeys never stored: delete it at {providerName}, or let CreatorKeys delete it.";

    private static string Why(ProviderFailure failure, string name, IProviderKeyRotation provider) =>
        failure == ProviderFailure.NotOffered && provider.NotOfferedText is { } notOffered ? notOffered : Why(failure, name);

    private static string Why(ProviderFailure failure, string name) => failure switch
    {
        ProviderFailure.Refused => $"{name} refused the management key (deleted, or without the right to manage keys). Check it on {name}'s site.",
        ProviderFailure.NotFound => $"{name} does not know that key or project.",
        ProviderFailure.TooMany => $"{name} asks to wait a little (too many calls).",
        ProviderFailure.NoAnswer => $"{name} did not answer. Try again in a few minutes.",
        ProviderFailure.NotSent => "nothing was sent (calls are off, or something is missing).",
        _ => $"{name} answered in a way CreatorKeys does not recognise.",
    };

    private async Task ClearMarkerAsync(string accountId, Guid rotationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Rotations.SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == accountId, cancellationToken) is { } rotation)
        {
            ResetMarker(rotation);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static void ResetMarker(KeyRotation rotation)
    {
        rotation.ProviderCreateStartedAt = null;
        rotation.ProviderCreateName = null;
        rotation.ProviderCreatedKeyId = null;
        rotation.ProviderCreatedProjectId = null;
    }

    private static Task<ApiKey?> FindManagementKeyAsync(CreatorKeysDbContext db, string accountId, string providerId, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId && k.ProviderId == providerId && k.IsManagementKey && k.Environment == VaultEnvironment.Prod && k.Status == KeyStatus.Current)
            .OrderByDescending(k => k.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);

    private async Task<Loaded> LoadAsync(CreatorKeysDbContext db, VaultSession session, Guid rotationId, CancellationToken cancellationToken)
    {
        var rotation = await db.Rotations.SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == session.AccountId, cancellationToken);
        if (rotation is null || !rotation.IsActive)
        {
            return new Loaded(null, null, "That rotation is not running.");
        }

        var old = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == rotation.OldKeyId, cancellationToken);
        if (!api.CallsAllowed)
        {
            return new Loaded(rotation, null, "Calls to providers are turned off on this CreatorKeys: create and delete the key by hand.");
        }

        if (old.ProviderId is null || !_byProvider.TryGetValue(old.ProviderId, out var provider))
        {
            return new Loaded(rotation, null, $"CreatorKeys cannot manage {old.ProviderName} keys through its API: {old.ProviderName} has no such API here yet.");
        }

        if (await FindManagementKeyAsync(db, session.AccountId, old.ProviderId, cancellationToken) is not { } management)
        {
            return new Loaded(rotation, null, $"No {old.ProviderName} management key is stored in PROD. Add it and mark it as a management key first.");
        }

        var value = session.Vault.DecryptValue(management.Id, management.Environment, management.Ciphertext);
        return new Loaded(rotation, (old, management, provider, value), null);
    }

    private sealed record Loaded(KeyRotation? Rotation, (ApiKey Old, ApiKey Management, IProviderKeyRotation Provider, string ManagementValue)? Parts, string? Error);
}

/// <summary>What the rotation page may offer through the provider's API, or why not (<see cref="WhyNot"/>).</summary>
public sealed record ProviderRotationSupport(
    string ProviderName,
    string? ManagementKeyLabel,
    bool CanCreate,
    bool NeedsProject,
    string? ProjectId,
    bool CanRetireOld,
    string? OldKeyProviderId,
    string? NewKeyProviderId,
    string? WhyNot)
{
    public static ProviderRotationSupport None { get; } = new("", null, false, false, null, false, null, null, null);

    /// <summary>What the provider calls the place a key lives in ("project", "service account").</summary>
    public string ProjectNoun { get; init; } = "project";

    /// <summary>The unit of the limit a key created through the API takes (ElevenLabs: characters).</summary>
    public SpendUnit LimitUnit { get; init; } = SpendUnit.Dollars;

    public bool HasManagementKey => ManagementKeyLabel is not null;
}

/// <summary>The outcome of a step done at the provider, in plain words.</summary>
public sealed record ProviderStepResult(bool Succeeded, string Message)
{
    public static ProviderStepResult Done(string message) => new(true, message);

    public static ProviderStepResult Failed(string message) => new(false, message);
}
