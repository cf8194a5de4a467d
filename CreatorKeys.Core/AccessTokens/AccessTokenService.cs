using System.Security.Cryptography;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.AccessTokens;

/// <summary>
/// Access tokens: create (shown once), list, revoke, and the read-only use behind <c>/api/v1</c>. A token opens one
/// environment's key from its own sealed copy, so it works while the vault is locked and after a restart, and the
/// database alone still opens nothing. See docs/decisions/016-access-tokens.md.
/// </summary>
public sealed class AccessTokenService(IDbContextFactory<CreatorKeysDbContext> dbFactory, ActivityService activity, AccessTokenUseLog uses, TimeProvider time)
{
    // The two queries every API request runs, compiled once (EF Core's per-call expression walk was a fifth of the
    // request in a profile under load), the keys read as only the columns the answer needs.
    private static readonly CompiledPerModel<Func<CreatorKeysDbContext, string, CancellationToken, Task<AccessToken?>>> TokenById = new(() =>
        EF.CompileAsyncQuery((CreatorKeysDbContext db, string id, CancellationToken _) => db.AccessTokens.AsNoTracking().SingleOrDefault(t => t.Id == id)));

    private static readonly CompiledPerModel<Func<CreatorKeysDbContext, string, VaultEnvironment, IAsyncEnumerable<ServedKeyRow>>> ServedKeys = new(() =>
        EF.CompileAsyncQuery((CreatorKeysDbContext db, string accountId, VaultEnvironment environment) =>
            db.ApiKeys.AsNoTracking()
                .Where(k => k.AccountId == accountId && k.Environment == environment && k.Status == KeyStatus.Current && !k.IsManagementKey)
                .Select(k => new ServedKeyRow(k.Id, k.SlotId, k.Environment, k.ProviderId, k.ProviderName, k.Label, k.Hint, k.UpdatedAt, k.Ciphertext, k.IsMock, k.ExportName ?? ExportNames.DefaultFor(k.ProviderId, k.ProviderName)))));

    /// <summary>What the Settings card says about tokens, in plain words.</summary>
    public const string Explanation = "An access token lets one program read the keys of one folder (DEV, STAGING or PROD), and nothing else. It cannot change anything.";

    /// <summary>
    /// Creates a token for one environment, optionally limited to some keys (slot ids of keys in that environment).
    /// Needs "confirm it's you"; a PROD token also needs <c>PROD</c> typed. The token text is in the result ONCE.
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<TokenCreated> CreateAsync(VaultSession session, NewTokenInput input, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            return TokenCreated.Failed("Give the token a name that says where it is used, like “n8n on my laptop”.");
        }

        if (name.Length > AccessToken.MaxNameLength)
        {
            return TokenCreated.Failed($"Keep the name under {AccessToken.MaxNameLength} characters.");
        }

        if (!Enum.IsDefined(input.Environment) || !Enum.IsDefined(input.Lifetime))
        {
            return TokenCreated.Failed("Choose a folder and how long the token lasts.");
        }

        if (input.Environment == VaultEnvironment.Prod && !string.Equals(input.TypedWord?.Trim(), "PROD", StringComparison.Ordinal))
        {
            return TokenCreated.Failed("A PROD token reads your live keys: type PROD to confirm.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        string? slots = null;
        if (input.KeySlots is { Count: > 0 } chosen)
        {
            var known = await db.ApiKeys.AsNoTracking()
                .Where(k => k.AccountId == session.AccountId && k.Environment == input.Environment && chosen.Contains(k.SlotId))
                .Select(k => k.SlotId).Distinct().ToListAsync(cancellationToken);
            if (known.Count != chosen.Distinct().Count())
            {
                return TokenCreated.Failed($"Some of the chosen keys are not in {input.Environment.Code()} any more. Choose them again.");
            }

            slots = string.Join(',', known.Order().Select(s => s.ToString("D")));
        }

        var now = time.GetUtcNow();
        var secret = RandomNumberGenerator.GetBytes(AccessTokenCrypto.SecretBytes);
        var sealingKey = AccessTokenCrypto.SealingKey(secret);
        try
        {
            var token = new AccessToken
            {
                Id = AccessTokenCrypto.NewId(),
                AccountId = session.AccountId,
                Environment = input.Environment,
                Name = name,
                SecretHash = AccessTokenCrypto.Verifier(secret),
                KeySlots = slots,
                CreatedAt = now,
                ExpiresAt = input.Lifetime == TokenLifetime.Never ? null : now.AddDays((int)input.Lifetime),
            };
            token.SealedEnvironmentKey = session.Vault.SealEnvironmentKey(token.Environment, sealingKey, AccessTokenCrypto.AssociatedData(token.AccountId, token.Id, token.Environment));
            db.AccessTokens.Add(token);
            activity.Stage(db, session.AccountId, ActivityAction.AccessTokenCreated, origin, token.Id, $"{token.Name}, {LifetimeText(input.Lifetime)}", token.Environment);
            await db.SaveChangesAsync(cancellationToken);
            return new TokenCreated(AccessTokenCrypto.Format(token.Environment, token.Id, secret), ToSummary(token), null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(sealingKey);
        }
    }

    /// <summary>Every token of the account, newest first, revoked ones included; never a secret.</summary>
    public async Task<IReadOnlyList<AccessTokenSummary>> ListAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = await db.AccessTokens.AsNoTracking().Where(t => t.AccountId == accountId).ToListAsync(cancellationToken);
        return [.. tokens.OrderByDescending(t => t.CreatedAt).Select(ToSummary)];
    }

    /// <summary>Revokes a token at once: its next request is refused. False when there is no such token.</summary>
    public async Task<bool> RevokeAsync(string accountId, string tokenId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.AccessTokens.SingleOrDefaultAsync(t => t.AccountId == accountId && t.Id == tokenId, cancellationToken);
        if (token is null)
        {
            return false;
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow();
            // The sealed key is of no use any more: drop it rather than keep it.
            token.SealedEnvironmentKey = [];
            activity.Stage(db, accountId, ActivityAction.AccessTokenRevoked, origin, token.Id, token.Name, token.Environment);
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Revokes every active token of the account inside the caller's transaction (replacing the vault key: the
    /// sealed copies hold keys derived from the old vault key). Returns how many.
    /// </summary>
    internal static async Task<int> RevokeAllAsync(CreatorKeysDbContext db, string accountId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var active = await db.AccessTokens.Where(t => t.AccountId == accountId && t.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var token in active)
        {
            token.RevokedAt = now;
            token.SealedEnvironmentKey = [];
        }

        return active.Count;
    }

    /// <summary>
    /// Checks a token's text: well formed, known, the right secret, not expired or revoked, and opens its
    /// environment's key. Null for every failure alike (the API answers them all with the same 401).
    /// </summary>
    public async Task<TokenGrant?> AuthenticateAsync(string? tokenText, CancellationToken cancellationToken = default)
    {
        if (!AccessTokenCrypto.TryParse(tokenText, out var environment, out var id, out var secret))
        {
            return null;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var token = await TokenById.For(db)(db, id, cancellationToken);
            var verifier = AccessTokenCrypto.Verifier(secret);
            if (token is null || !CryptographicOperations.FixedTimeEquals(verifier, token.SecretHash) || token.Environment != environment
                || !token.IsActive(time.GetUtcNow()) || token.SealedEnvironmentKey.Length == 0)
            {
                return null;
            }

            var sealingKey = AccessTokenCrypto.SealingKey(secret);
            try
            {
                var environmentKey = VaultCrypto.Open(sealingKey, token.SealedEnvironmentKey, AccessTokenCrypto.AssociatedData(token.AccountId, token.Id, token.Environment));
                return new TokenGrant(token.Id, token.AccountId, token.Name, token.Environment, token.ExpiresAt, token.Slots(), environmentKey);
            }
            catch (VaultCryptoException)
            {
                return null;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(sealingKey);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The token's environment and its mode; recorded as a use.</summary>
    public async Task<EnvironmentMode> ReadModeAsync(TokenGrant grant, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mode = await ModeOfAsync(db, grant.AccountId, grant.Environment, cancellationToken);
        await RecordUseAsync(grant, origin, "which folder and mode");
        return mode;
    }

    /// <summary>
    /// The values the token may read (every key in use of its environment, or its chosen ones), or only the one
    /// named <paramref name="name"/>; fake values in Mock. One activity entry with the names, never the values.
    /// </summary>
    public async Task<SecretsRead> ReadSecretsAsync(TokenGrant grant, string? name, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mode = await ModeOfAsync(db, grant.AccountId, grant.Environment, cancellationToken);
        var keys = new List<ServedKeyRow>();
        await foreach (var row in ServedKeys.For(db)(db, grant.AccountId, grant.Environment).WithCancellation(cancellationToken))
        {
            if (grant.KeySlots is not { } slots || slots.Contains(row.SlotId))
            {
                keys.Add(row);
            }
        }

        // One key per name: should two keys share one (only possible for keys stored before export names), the newest wins.
        var byName = keys.GroupBy(k => k.ExportName, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(k => k.UpdatedAt).ThenBy(k => k.Id).First())
            .OrderBy(k => k.ExportName, StringComparer.Ordinal)
            .ToList();
        if (name is not null)
        {
            byName = [.. byName.Where(k => string.Equals(k.ExportName, name, StringComparison.Ordinal))];
        }

        var secrets = new List<ServedSecret>(byName.Count);
        // One cipher for the request: expanding the environment key once, not once per value.
        using (var cipher = new AesGcm(grant.EnvironmentKey, VaultCrypto.TagBytes))
        {
            foreach (var key in byName)
            {
                var value = mode == EnvironmentMode.Mock || key.IsMock
                    ? EnvironmentModes.MockValue(key.ProviderId, key.ProviderName, key.Environment)
                    : UnlockedVault.DecryptValueWithEnvironmentCipher(grant.AccountId, cipher, key.Id, key.Environment, key.Ciphertext);
                secrets.Add(new ServedSecret(key.ExportName, value, key.ProviderName, key.Label, "ends " + HintEnd(key.Hint), key.UpdatedAt));
            }
        }

        var names = secrets.Count == 0 ? (name is null ? "no keys" : $"{name} (not found)") : string.Join(", ", secrets.Select(s => s.Name));
        await RecordUseAsync(grant, origin, names);
        return new SecretsRead(grant.Environment, mode, secrets);
    }

    /// <summary>The mode of each environment of the account (Live unless set).</summary>
    public async Task<IReadOnlyDictionary<VaultEnvironment, EnvironmentMode>> ListModesAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.EnvironmentSettings.AsNoTracking().Where(s => s.AccountId == accountId).ToListAsync(cancellationToken);
        return VaultEnvironments.All.ToDictionary(e => e, e => rows.FirstOrDefault(r => r.Environment == e)?.Mode ?? EnvironmentMode.Live);
    }

    /// <summary>Sets an environment's mode; null on success, else why not (PROD is always Live).</summary>
    public async Task<string?> SetModeAsync(string accountId, VaultEnvironment environment, EnvironmentMode mode, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        if (environment == VaultEnvironment.Prod && mode != EnvironmentMode.Live)
        {
            return EnvironmentModes.ProdMustBeLiveMessage;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.EnvironmentSettings.SingleOrDefaultAsync(s => s.AccountId == accountId && s.Environment == environment, cancellationToken);
        if (row is null)
        {
            row = new EnvironmentSetting { AccountId = accountId, Environment = environment };
            db.EnvironmentSettings.Add(row);
        }

        if (row.Mode != mode || db.Entry(row).State == EntityState.Added)
        {
            row.Mode = mode;
            row.UpdatedAt = time.GetUtcNow();
            activity.Stage(db, accountId, ActivityAction.EnvironmentModeChanged, origin, targetName: $"{environment.Code()} is now {mode}", environment: environment);
            await db.SaveChangesAsync(cancellationToken);
        }

        return null;
    }

    /// <summary>Makes one key Mock (or Live again) inside a Live DEV or STAGING; null on success, else why not.</summary>
    public async Task<string?> SetKeyMockAsync(string accountId, Guid keyId, bool mock, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.AccountId == accountId && k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return "That key is no longer in your vault.";
        }

        if (mock && key.Environment == VaultEnvironment.Prod)
        {
            return EnvironmentModes.ProdMustBeLiveMessage;
        }

        if (key.IsMock != mock)
        {
            key.IsMock = mock;
            activity.Stage(db, accountId, ActivityAction.KeyEdited, origin, key.Id.ToString(), $"{key.Label}: {(mock ? "fake value for programs (Mock)" : "real value for programs (Live)")}", key.Environment);
            await db.SaveChangesAsync(cancellationToken);
        }

        return null;
    }

    public static string LifetimeText(TokenLifetime lifetime) => lifetime switch
    {
        TokenLifetime.Never => "never expires",
        _ => $"expires after {(int)lifetime} days",
    };

    private static async Task<EnvironmentMode> ModeOfAsync(CreatorKeysDbContext db, string accountId, VaultEnvironment environment, CancellationToken cancellationToken)
    {
        if (environment == VaultEnvironment.Prod)
        {
            return EnvironmentMode.Live;
        }

        var row = await db.EnvironmentSettings.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == accountId && s.Environment == environment, cancellationToken);
        return row?.Mode ?? EnvironmentMode.Live;
    }

    // One activity entry per request, committed before the answer goes out; concurrent requests share one commit.
    private Task RecordUseAsync(TokenGrant grant, RequestOrigin origin, string what) => uses.RecordAsync(grant, origin, what);

    private static string HintEnd(string hint)
    {
        var end = hint.LastIndexOf('…');
        return end >= 0 ? hint[(end + 1)..] : hint;
    }

    private static AccessTokenSummary ToSummary(AccessToken t) =>
        new(t.Id, t.Name, t.Environment, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, t.LastUsedFrom, t.Slots()?.Count);
}

/// <summary>What the creator chose for a new token. <see cref="TypedWord"/> must be <c>PROD</c> for a PROD token.</summary>
public sealed record NewTokenInput(string? Name, VaultEnvironment Environment, TokenLifetime Lifetime, IReadOnlyCollection<Guid>? KeySlots = null, string? TypedWord = null);

/// <summary>The token's text (shown once) and its summary, or why it was not created.</summary>
public sealed record TokenCreated(string? TokenText, AccessTokenSummary? Token, string? Error)
{
    public bool Succeeded => TokenText is not null;

    public static TokenCreated Failed(string error) => new(null, null, error);
}

/// <summary>A token as the list shows it: never its secret.</summary>
public sealed record AccessTokenSummary(string Id, string Name, VaultEnvironment Environment, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, string? LastUsedFrom, int? KeyCount)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A checked token for one request: holds the environment's key until disposed.</summary>
public sealed class TokenGrant(string tokenId, string accountId, string name, VaultEnvironment environment, DateTimeOffset? expiresAt, IReadOnlyList<Guid>? keySlots, byte[] environmentKey) : IDisposable
{
    public string TokenId { get; } = tokenId;

    public string AccountId { get; } = accountId;

    public string Name { get; } = name;

    public VaultEnvironment Environment { get; } = environment;

    public DateTimeOffset? ExpiresAt { get; } = expiresAt;

    public IReadOnlyList<Guid>? KeySlots { get; } = keySlots;

    internal byte[] EnvironmentKey { get; } = environmentKey;

    public void Dispose() => CryptographicOperations.ZeroMemory(EnvironmentKey);
}

/// <summary>The columns of a key the API reads to serve it (<see cref="ExportName"/> already defaulted).</summary>
internal sealed record ServedKeyRow(Guid Id, Guid SlotId, VaultEnvironment Environment, string? ProviderId, string ProviderName, string Label, string Hint, DateTimeOffset UpdatedAt, byte[] Ciphertext, bool IsMock, string ExportName);

/// <summary>One value as the API serves it.</summary>
public sealed record ServedSecret(string Name, string Value, string Provider, string Label, string Hint, DateTimeOffset Updated);

public sealed record SecretsRead(VaultEnvironment Environment, EnvironmentMode Mode, IReadOnlyList<ServedSecret> Secrets);
