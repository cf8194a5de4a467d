using System.Linq.Expressions;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// Stores, lists, reveals, edits, retires and deletes an account's keys. Every query is
/// filtered by the account of the signed-in session; a key id from another account is simply
/// "not found".
/// </summary>
public sealed class VaultService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ProviderService providers,
    ActivityService activity,
    ActionLimits limits,
    Leaks.KeyInTextGuard keyGuard,
    IOptions<SpendCapOptions> capOptions,
    TimeProvider time)
{
    private decimal MaximumCap => capOptions.Value.Maximum;

    /// <summary>
    /// Encrypts and stores a new key. Bad input or a duplicate value changes nothing. A value that
    /// does not look like the chosen provider's keys is not stored either, unless
    /// <paramref name="acceptShapeWarning"/> says the creator saw the warning and wants it anyway.
    /// </summary>
    public Task<KeyChangeResult> AddKeyAsync(VaultSession session, NewKeyInput input, RequestOrigin origin, bool acceptShapeWarning = false, CancellationToken cancellationToken = default) =>
        AddAsync(session, input, origin, acceptShapeWarning, slotId: null, cancellationToken);

    /// <summary>
    /// Stores the next version of a key slot as <em>pending</em>, during a rotation: the same
    /// rules as <see cref="AddKeyAsync"/>, and the old version stays current until the rotation ends.
    /// </summary>
    internal Task<KeyChangeResult> AddKeyVersionAsync(VaultSession session, NewKeyInput input, Guid slotId, RequestOrigin origin, bool acceptShapeWarning, CancellationToken cancellationToken) =>
        AddAsync(session, input, origin, acceptShapeWarning, slotId, cancellationToken);

    private async Task<KeyChangeResult> AddAsync(VaultSession session, NewKeyInput input, RequestOrigin origin, bool acceptShapeWarning, Guid? slotId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await providers.ListAsync(db, session.AccountId, cancellationToken);
        var provider = ProviderService.Resolve(known, input.ProviderId, input.ProviderName);
        if (input.ProviderId is not null && provider is null)
        {
            return KeyChangeResult.Invalid(nameof(NewKeyInput.ProviderName), "That service is not in your list any more. Choose it again.");
        }

        var (clean, errors) = input.Validate(provider, MaximumCap);
        if (clean is null)
        {
            return KeyChangeResult.Invalid(errors);
        }

        // A key cannot have been created tomorrow, nor before these services existed.
        if (clean.IssueDate.On is { } issued && (issued > time.GetUtcNow().AddDays(1) || issued.Year < 2000))
        {
            return KeyChangeResult.Invalid(nameof(NewKeyInput.IssueDate), "The date the key was created cannot be in the future or before 2000. Leave it empty if you do not know it.");
        }

        var vault = session.Vault;
        var fingerprint = vault.Fingerprint(clean.Value);
        var existing = await FindByFingerprintAsync(db, session.AccountId, fingerprint, cancellationToken);
        if (existing is not null)
        {
            return DuplicateValue(existing);
        }

        // Names are stored in the clear: a stored key pasted into the name field must not land there.
        if (await FindByFingerprintAsync(db, session.AccountId, vault.Fingerprint(KeyValueText.Clean(clean.Label)), cancellationToken) is not null)
        {
            return KeyChangeResult.Invalid(nameof(NewKeyInput.Label), KeyFields.KeyAsNameMessage);
        }

        if (await SameLabelMessageAsync(db, session.AccountId, clean.Environment, clean.ProviderId, clean.ProviderName, clean.Label, exceptKeyId: null, cancellationToken) is { } sameLabel)
        {
            return KeyChangeResult.Invalid(nameof(NewKeyInput.Label), sameLabel);
        }

        var shapeWarning = KeyShapes.MismatchWarning(clean.Value, provider, known);
        if (shapeWarning is not null && !acceptShapeWarning)
        {
            return KeyChangeResult.NeedsConfirmation(shapeWarning);
        }

        var now = time.GetUtcNow();
        var id = Guid.NewGuid();
        var key = new ApiKey
        {
            Id = id,
            SlotId = slotId ?? id,
            Status = slotId is null ? KeyStatus.Current : KeyStatus.Pending,
            AccountId = session.AccountId,
            ProviderId = clean.ProviderId,
            ProviderName = clean.ProviderName,
            Environment = clean.Environment,
            Label = clean.Label,
            ExportName = await ExportNameService.NameForNewKeyAsync(db, session.AccountId, clean.Environment, slotId, input.ExportName, clean.ProviderId, clean.ProviderName, cancellationToken),
            Hint = KeyHint.For(clean.Value),
            Fingerprint = fingerprint,
            MonthlyCapUsd = clean.MonthlyCapUsd,
            CapSetAtProvider = clean.CapSetAtProvider,
            IsManagementKey = input.IsManagementKey,
            ProviderKeyId = input.ProviderKeyId,
            ProviderProjectId = input.ProviderProjectId,
            IssuedAt = clean.IssueDate.Resolve(now),
            CreatedAt = now,
            UpdatedAt = now,
        };
        key.Ciphertext = vault.EncryptValue(key.Id, key.Environment, clean.Value);
        db.ApiKeys.Add(key);
        if (slotId is null)
        {
            activity.Stage(db, session.AccountId, ActivityAction.KeyAdded, origin, key.Id.ToString(), key.Label, key.Environment);
            if (key.IsManagementKey)
            {
                activity.Stage(db, session.AccountId, ActivityAction.ManagementKeyMarked, origin, key.Id.ToString(), $"{key.Label}: management key", key.Environment);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (Database.IsUniqueViolation(ex))
        {
            // Another request stored the same value between our check and our insert.
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var winner = await FindByFingerprintAsync(fresh, session.AccountId, fingerprint, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return DuplicateValue(winner);
        }

        var warnings = new List<string>();
        if (shapeWarning is not null)
        {
            warnings.Add(shapeWarning);
        }

        warnings.AddRange(LabelRules.Check(clean.Label, clean.Environment));
        return new KeyChangeResult(ToSummary(key), new Dictionary<string, string>(), warnings);
    }

    /// <summary>Every key of the account, by environment then provider then label; no values.</summary>
    public async Task<IReadOnlyList<KeySummary>> ListKeysAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId)
            .Select(SummaryOf)
            .ToListAsync(cancellationToken);
        return keys
            .OrderBy(k => k.Environment)
            .ThenBy(k => k.ProviderName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(k => k.Label, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// What a key's page shows from the database: the key and every version of its slot (the keys it replaced and that
    /// replaced it), newest first, with the key's last kept check verdict and spend figures; no versions when the account
    /// has no such key. One query (the slot found in a subquery, the readings left-joined to the asked key's row): every
    /// query of a page visit is a round trip on PostgreSQL, and each one made the key page slower under load than any
    /// other. Reads the slot's rows only, by its index, not the whole vault.
    /// </summary>
    public async Task<KeyDetails> ReadKeyAsync(string accountId, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
            from k in db.ApiKeys.Where(k => k.AccountId == accountId
                && k.SlotId == db.ApiKeys.Where(o => o.Id == keyId && o.AccountId == accountId).Select(o => o.SlotId).FirstOrDefault())
            join c in db.KeyChecks.Where(c => c.KeyId == keyId && c.AccountId == accountId) on k.Id equals c.KeyId into checks
            from c in checks.DefaultIfEmpty()
            join s in db.KeySpends.Where(s => s.KeyId == keyId && s.AccountId == accountId) on k.Id equals s.KeyId into spends
            from s in spends.DefaultIfEmpty()
            select new VersionRow { Key = k, Check = c, Spend = s })
            .AsNoTracking()
            .Select(VersionWithReadingsOf)
            .ToListAsync(cancellationToken);
        var asked = rows.FirstOrDefault(r => r.Summary.Id == keyId);
        var spend = asked is { Spend: { } figures, Summary: var key }
            ? Providers.Connections.SpendStanding.From(figures, key.Label, key.ProviderName, key.Environment, key.MonthlyCapUsd, key.ProviderId)
            : null;
        return new KeyDetails([.. rows.Select(r => r.Summary).OrderByDescending(k => k.CreatedAt)], asked?.Check, spend);
    }

    /// <summary>A version of a slot with the asked key's readings (null on the other versions), before projection.</summary>
    private sealed class VersionRow
    {
        public ApiKey Key { get; init; } = default!;
        public Providers.Connections.KeyCheckRecord? Check { get; init; }
        public Providers.Connections.KeySpend? Spend { get; init; }
    }

    private sealed record VersionWithReadings(KeySummary Summary, Providers.Connections.KeyCheckRecord? Check, Providers.Connections.KeySpend? Spend);

    private static Expression<Func<VersionRow, VersionWithReadings>> BuildVersionWithReadings()
    {
        var row = Expression.Parameter(typeof(VersionRow), "row");
        var summary = Microsoft.EntityFrameworkCore.Query.ReplacingExpressionVisitor.Replace(
            SummaryOf.Parameters[0], Expression.Property(row, nameof(VersionRow.Key)), SummaryOf.Body);
        return Expression.Lambda<Func<VersionRow, VersionWithReadings>>(
            Expression.New(typeof(VersionWithReadings).GetConstructors().Single(), summary,
                Expression.Property(row, nameof(VersionRow.Check)), Expression.Property(row, nameof(VersionRow.Spend))),
            row);
    }

    /// <summary>
    /// How many keys of the account each environment holds, in use and retired, that contain
    /// <paramref name="search"/>; one query, which without a search reads only an index.
    /// </summary>
    public async Task<KeyCounts> CountKeysAsync(string accountId, string? search = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = string.IsNullOrWhiteSpace(search)
            ? await StoredCountsAsync(db, accountId, cancellationToken)
            : await Listed(db, accountId, KeyListStatus.All, search)
                .GroupBy(k => new { k.Environment, k.Status })
                .Select(g => new KeyCountRow(g.Key.Environment, g.Key.Status, g.Count()))
                .ToListAsync(cancellationToken);
        Dictionary<VaultEnvironment, int> Sum(Func<KeyStatus, bool> status) => Enum.GetValues<VaultEnvironment>()
            .ToDictionary(e => e, e => counts.Where(c => c.Environment == e && status(c.Status)).Sum(c => c.Count));
        return new KeyCounts(Sum(KeyCounts.IsListedAsCurrent), Sum(s => !KeyCounts.IsListedAsCurrent(s)));
    }

    private sealed record KeyCountRow(VaultEnvironment Environment, KeyStatus Status, int Count);

    /// <summary>
    /// The account's key counts per environment and status as the database keeps them (table
    /// ApiKeyCounts, kept by triggers on ApiKeys; migration ApiKeyCountsTable): a few rows, however
    /// many keys. Outside the EF model, so read with a plain command on the context's connection.
    /// </summary>
    private static async Task<List<KeyCountRow>> StoredCountsAsync(CreatorKeysDbContext db, string accountId, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """SELECT "Environment", "Status", "Count" FROM "ApiKeyCounts" WHERE "AccountId" = @account""";
            var account = command.CreateParameter();
            account.ParameterName = "@account";
            account.Value = accountId;
            command.Parameters.Add(account);
            var rows = new List<KeyCountRow>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new KeyCountRow(Enum.Parse<VaultEnvironment>(reader.GetString(0)), Enum.Parse<KeyStatus>(reader.GetString(1)), reader.GetInt32(2)));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// One page of one environment's keys, by provider then label, filtered in the database: the
    /// vault page asks for a screenful, never the whole vault. A page past the end returns the last one.
    /// <paramref name="knownTotal"/>: how many keys match, when the caller has just counted them
    /// (<see cref="CountKeysAsync"/> with the same search, for the query's status and environment); saves a count.
    /// </summary>
    public async Task<KeyListPage> ListKeysPageAsync(string accountId, KeyListQuery query, int? knownTotal = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (knownTotal is { } total && string.IsNullOrWhiteSpace(query.Search) && VaultPageQueries.TryGetValue(query.Status, out var compiled))
        {
            // The vault page's own request (counted already, no search): the compiled query.
            return await PageOfAsync(total, query.Page, query.PageSize, (skip, take) =>
                compiled.For(db)(db, accountId, query.Environment, skip, take).ToListAsync(cancellationToken).AsTask());
        }

        var keys = Listed(db, accountId, query.Status, query.Search).Where(k => k.Environment == query.Environment);
        return await PageOfAsync(
            keys,
            q => q.OrderBy(k => EF.Functions.Collate(k.ProviderName, "NOCASE")).ThenBy(k => EF.Functions.Collate(k.Label, "NOCASE")).ThenBy(k => k.Id),
            query.Page,
            query.PageSize,
            cancellationToken,
            knownTotal);
    }

    /// <summary>
    /// One page of the account's keys in use (status Current), soonest due first, then by name;
    /// optionally of one environment. Every key in use has a due date (<see cref="Reminders.RotationSchedule.DueOn(ApiKey, TimeZoneInfo)"/>,
    /// kept by an interceptor), so where the engines put an empty one (SQLite first, PostgreSQL last) does not arise. The rotation page lists
    /// a screenful at a time this way, never the whole vault. A page past the end returns the last one.
    /// </summary>
    /// <param name="knownTotal">How many keys that is, when the caller has just read <see cref="CountKeysInUseAsync"/>; saves reading the counts again.</param>
    public async Task<KeyListPage> ListKeysByDueDateAsync(string accountId, int page = 0, int pageSize = KeyListQuery.DefaultPageSize, VaultEnvironment? environment = null, int? knownTotal = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId && k.Status == KeyStatus.Current);
        if (environment is { } only)
        {
            keys = keys.Where(k => k.Environment == only);
        }

        // How many there are, from the counts the database keeps (a few rows), not by counting the keys: at 10,000 keys
        // the rotation page's three counts (all, DEV, STAGING) were a third of its server time.
        var total = knownTotal ?? InUse(await StoredCountsAsync(db, accountId, cancellationToken), environment);
        return await PageOfAsync(keys, q => q.OrderBy(k => k.DueOn).ThenBy(k => EF.Functions.Collate(k.Label, "NOCASE")).ThenBy(k => k.Id), page, pageSize, cancellationToken, total);
    }

    /// <summary>How many keys in use (status Current; a replacement's new key not yet) each environment holds, from the kept counts.</summary>
    public async Task<IReadOnlyDictionary<VaultEnvironment, int>> CountKeysInUseAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = await StoredCountsAsync(db, accountId, cancellationToken);
        return VaultEnvironments.All.ToDictionary(e => e, e => InUse(counts, e));
    }

    private static int InUse(List<KeyCountRow> counts, VaultEnvironment? environment) =>
        counts.Where(c => c.Status == KeyStatus.Current && (environment is null || c.Environment == environment)).Sum(c => c.Count);

    /// <summary>How many keys <paramref name="keys"/> holds, and page <paramref name="page"/> of them in <paramref name="order"/> (0-based; past the end, the last page).</summary>
    private static async Task<KeyListPage> PageOfAsync(IQueryable<ApiKey> keys, Func<IQueryable<ApiKey>, IOrderedQueryable<ApiKey>> order, int page, int pageSize, CancellationToken cancellationToken, int? knownTotal = null)
    {
        var total = knownTotal ?? await keys.CountAsync(cancellationToken);
        return await PageOfAsync(total, page, pageSize, (skip, take) => order(keys).Skip(skip).Take(take).Select(SummaryOf).ToListAsync(cancellationToken));
    }

    /// <summary>Page <paramref name="page"/> of <paramref name="total"/> rows (past the end, the last page), read by <paramref name="rows"/> (skip, take).</summary>
    private static async Task<KeyListPage> PageOfAsync(int total, int page, int pageSize, Func<int, int, Task<List<KeySummary>>> rows)
    {
        pageSize = Math.Clamp(pageSize, 1, KeyListQuery.MaxPageSize);
        page = Math.Clamp(page, 0, Math.Max(0, (total - 1) / pageSize));
        return new KeyListPage(total == 0 ? [] : await rows(page * pageSize, pageSize), total, page, pageSize);
    }

    // The two filters stand above VaultPageQueries on purpose: static fields are set in the order they are written.

    /// <summary>The vault's "in use" folder filter (with <see cref="KeyCounts.IsListedAsCurrent"/>, its C# twin for the counts).</summary>
    private static readonly Expression<Func<ApiKey, bool>> ListedAsCurrent = k => k.Status == KeyStatus.Current || k.Status == KeyStatus.Pending;

    /// <summary>The vault's "retired" filter: every status not listed as in use.</summary>
    private static readonly Expression<Func<ApiKey, bool>> ListedAsRetired = k => k.Status != KeyStatus.Current && k.Status != KeyStatus.Pending;

    /// <summary>
    /// The vault page's query, compiled once per status filter: it runs on every visit, and EF Core's
    /// per-call work (walking the LINQ expression to find its cache entry) cost about as much as
    /// SQLite reading the 25 rows. Same filter, order and columns as <see cref="Listed"/> with
    /// <see cref="ListKeysPageAsync"/>; VaultListingTests and QueryPlanTests hold both to that.
    /// </summary>
    private static readonly Dictionary<KeyListStatus, CompiledPerModel<Func<CreatorKeysDbContext, string, VaultEnvironment, int, int, IAsyncEnumerable<KeySummary>>>> VaultPageQueries = new()
    {
        [KeyListStatus.Current] = CompileVaultPage(ListedAsCurrent),
        [KeyListStatus.Retired] = CompileVaultPage(ListedAsRetired),
        [KeyListStatus.All] = CompileVaultPage(k => true),
    };

    private static CompiledPerModel<Func<CreatorKeysDbContext, string, VaultEnvironment, int, int, IAsyncEnumerable<KeySummary>>> CompileVaultPage(Expression<Func<ApiKey, bool>> status) => new(() =>
        EF.CompileAsyncQuery((CreatorKeysDbContext db, string accountId, VaultEnvironment environment, int skip, int take) =>
            db.ApiKeys.AsNoTracking()
                .Where(k => k.AccountId == accountId && k.Environment == environment)
                .Where(status)
                .OrderBy(k => EF.Functions.Collate(k.ProviderName, "NOCASE")).ThenBy(k => EF.Functions.Collate(k.Label, "NOCASE")).ThenBy(k => k.Id)
                .Skip(skip)
                .Take(take)
                .Select(SummaryOf)));

    /// <summary>The account's keys among <paramref name="keyIds"/>, by id; ids of other accounts' keys or of no key are left out.</summary>
    public async Task<IReadOnlyDictionary<Guid, KeySummary>> FindKeysAsync(string accountId, IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken = default)
    {
        if (keyIds.Count == 0)
        {
            return new Dictionary<Guid, KeySummary>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId && keyIds.Contains(k.Id))
            .Select(SummaryOf)
            .ToListAsync(cancellationToken);
        return keys.ToDictionary(k => k.Id);
    }

    /// <summary>The account's keys that pass the status filter and contain the search text (any case) in their service, name or hint.</summary>
    private static IQueryable<ApiKey> Listed(CreatorKeysDbContext db, string accountId, KeyListStatus status, string? search)
    {
        var keys = db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId);
        keys = status switch
        {
            KeyListStatus.Current => keys.Where(ListedAsCurrent),
            KeyListStatus.Retired => keys.Where(ListedAsRetired),
            _ => keys,
        };

        if (!string.IsNullOrWhiteSpace(search))
        {
            // LIKE is case-insensitive for ASCII in SQLite; the escape keeps a typed % or _ literal.
            var pattern = "%" + search.Trim().Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
            // PostgreSQL's LIKE minds case: ILIKE there.
            keys = db.Database.IsNpgsql()
                ? keys.Where(k => EF.Functions.ILike(k.ProviderName, pattern, @"\")
                    || EF.Functions.ILike(k.Label, pattern, @"\")
                    || EF.Functions.ILike(k.Hint, pattern, @"\"))
                : keys.Where(k => EF.Functions.Like(k.ProviderName, pattern, @"\")
                    || EF.Functions.Like(k.Label, pattern, @"\")
                    || EF.Functions.Like(k.Hint, pattern, @"\"));
        }

        return keys;
    }

    /// <summary>Decrypts a key for display and records who revealed it. Null when the account has no such key.</summary>
    /// <exception cref="VaultCryptoException">The stored value was altered and cannot be trusted.</exception>
    /// <exception cref="RateLimitedException">The account revealed or copied too many keys in the last minute; nothing is recorded.</exception>
    /// <exception cref="ConfirmationRequiredException">A PROD key, and the creator has not confirmed it's them in the last 10 minutes.</exception>
    public Task<string?> RevealAsync(VaultSession session, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        DecryptAndRecordAsync(session, keyId, ActivityAction.KeyRevealed, origin, cancellationToken);

    /// <summary>Decrypts a key for the clipboard and records who copied it. Null when the account has no such key.</summary>
    /// <exception cref="RateLimitedException">Shares the reveal limit.</exception>
    /// <exception cref="ConfirmationRequiredException">A PROD key, and the creator has not confirmed it's them in the last 10 minutes.</exception>
    public Task<string?> CopyAsync(VaultSession session, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        DecryptAndRecordAsync(session, keyId, ActivityAction.KeyCopied, origin, cancellationToken);

    /// <summary>Changes a key's name and cap. Null key in the result when the account has no such key.</summary>
    public async Task<KeyChangeResult> UpdateKeyAsync(string accountId, Guid keyId, EditKeyInput input, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var errors = input.Validate(MaximumCap);
        if (errors.Count == 0)
        {
            // The name is stored in plain: another key's value typed into it would sit there unencrypted.
            errors = await keyGuard.CheckAsync(accountId, [new(nameof(EditKeyInput.Label), input.Label)], cancellationToken);
        }

        if (errors.Count > 0)
        {
            return KeyChangeResult.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken);
        if (key is null)
        {
            return KeyChangeResult.Invalid("", "That key is no longer in your vault.");
        }

        if (await SameLabelMessageAsync(db, accountId, key.Environment, key.ProviderId, key.ProviderName, input.Label!.Trim(), key.Id, cancellationToken) is { } sameLabel)
        {
            return KeyChangeResult.Invalid(nameof(EditKeyInput.Label), sameLabel);
        }

        key.Label = input.Label!.Trim();
        key.MonthlyCapUsd = input.MonthlyCapUsd;
        key.CapSetAtProvider = input.CapSetAtProvider && input.MonthlyCapUsd is not null;
        key.UpdatedAt = time.GetUtcNow();
        activity.Stage(db, accountId, ActivityAction.KeyEdited, origin, key.Id.ToString(), key.Label, key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return new KeyChangeResult(ToSummary(key), new Dictionary<string, string>(), LabelRules.Check(key.Label, key.Environment));
    }

    /// <summary>Changes only a key's cap, leaving its name as it is now (another window may have renamed it).</summary>
    public async Task<KeyChangeResult> UpdateCapAsync(string accountId, Guid keyId, decimal? monthlyCapUsd, bool capSetAtProvider, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        if (CapRules.Validate(monthlyCapUsd, MaximumCap) is { } error)
        {
            return KeyChangeResult.Invalid(nameof(EditKeyInput.MonthlyCapUsd), error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken);
        if (key is null)
        {
            return KeyChangeResult.Invalid("", "That key is no longer in your vault.");
        }

        key.MonthlyCapUsd = monthlyCapUsd;
        key.CapSetAtProvider = capSetAtProvider && monthlyCapUsd is not null;
        key.UpdatedAt = time.GetUtcNow();
        activity.Stage(db, accountId, ActivityAction.KeyEdited, origin, key.Id.ToString(), key.Label, key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return new KeyChangeResult(ToSummary(key), new Dictionary<string, string>(), []);
    }

    /// <summary>
    /// Marks (or unmarks) a key as the provider's management or admin key: only a PROD key of a provider that has
    /// one, and not while a workflow uses it (a management key is never a workflow's key).
    /// </summary>
    public async Task<KeyChangeResult> SetManagementKeyAsync(string accountId, Guid keyId, bool isManagementKey, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken);
        if (key is null)
        {
            return KeyChangeResult.Invalid("", "That key is no longer in your vault.");
        }

        if (isManagementKey)
        {
            if (!Providers.Connections.ManagementKeys.Supports(key.ProviderId))
            {
                return KeyChangeResult.Invalid(nameof(NewKeyInput.IsManagementKey), $"{key.ProviderName} has no management key CreatorKeys can use.");
            }

            if (key.Environment != VaultEnvironment.Prod)
            {
                return KeyChangeResult.Invalid(nameof(NewKeyInput.IsManagementKey), "A management key can create and delete your keys, so it is kept in PROD only. Store it again in PROD and mark it there.");
            }

            if (await db.WorkflowKeyUses.AnyAsync(u => u.KeyId == key.Id, cancellationToken))
            {
                return KeyChangeResult.Invalid(nameof(NewKeyInput.IsManagementKey), "A workflow uses this key, so it cannot be a management key. Move the workflow to another key first.");
            }
        }

        if (key.IsManagementKey != isManagementKey)
        {
            key.IsManagementKey = isManagementKey;
            key.UpdatedAt = time.GetUtcNow();
            activity.Stage(db, accountId, ActivityAction.ManagementKeyMarked, origin, key.Id.ToString(), $"{key.Label}: {(isManagementKey ? "management key" : "no longer a management key")}", key.Environment);
            await db.SaveChangesAsync(cancellationToken);
        }

        return new KeyChangeResult(ToSummary(key), new Dictionary<string, string>(), []);
    }

    /// <summary>
    /// Records the provider's own id of a key (never its value) and, for OpenAI, its project, so a rotation can delete
    /// it through the provider's API. An id that is this vault's key value is refused, like a value typed into a name.
    /// </summary>
    public async Task<KeyChangeResult> SetProviderKeyIdAsync(VaultSession session, Guid keyId, string? providerKeyId, string? projectId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        providerKeyId = string.IsNullOrWhiteSpace(providerKeyId) ? null : providerKeyId.Trim();
        projectId = string.IsNullOrWhiteSpace(projectId) ? null : projectId.Trim();
        foreach (var id in new[] { providerKeyId, projectId })
        {
            if (id is not null && (id.Length > ApiKey.MaxProviderKeyIdLength || id.Any(c => c < '!' || c > '~' || c is '/' or '?' or '#' or '%')))
            {
                return KeyChangeResult.Invalid(nameof(ApiKey.ProviderKeyId), "That does not look like a provider's key id: copy it again from the provider's keys page (letters, digits, - and _ only).");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == session.AccountId, cancellationToken);
        if (key is null)
        {
            return KeyChangeResult.Invalid("", "That key is no longer in your vault.");
        }

        foreach (var id in new[] { providerKeyId, projectId })
        {
            if (id is not null && await FindByFingerprintAsync(db, session.AccountId, session.Vault.Fingerprint(id), cancellationToken) is not null)
            {
                return KeyChangeResult.Invalid(nameof(ApiKey.ProviderKeyId), "That is a key itself, not its id. The id is the short name the provider lists beside the key.");
            }
        }

        key.ProviderKeyId = providerKeyId;
        key.ProviderProjectId = projectId;
        key.UpdatedAt = time.GetUtcNow();
        activity.Stage(db, session.AccountId, ActivityAction.KeyEdited, origin, key.Id.ToString(), $"{key.Label}: provider key id", key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return new KeyChangeResult(ToSummary(key), new Dictionary<string, string>(), []);
    }

    /// <summary>Marks a key as no longer used; its record stays. False when the account has no such current key.</summary>
    public async Task<bool> RetireKeyAsync(string accountId, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId && k.Status == KeyStatus.Current, cancellationToken);
        if (key is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        key.Status = KeyStatus.Retired;
        key.RetiredAt = now;
        key.UpdatedAt = now;
        activity.Stage(db, accountId, ActivityAction.KeyRetired, origin, key.Id.ToString(), key.Label, key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes a key and its encrypted value. False when the account has no such key.</summary>
    public async Task<bool> DeleteAsync(string accountId, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken);
        if (key is null)
        {
            return false;
        }

        db.ApiKeys.Remove(key);
        activity.Stage(db, accountId, ActivityAction.KeyDeleted, origin, key.Id.ToString(), key.Label, key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Whether this exact value is already stored in the account's vault (by fingerprint), and as which key.</summary>
    public async Task<KeySummary?> FindSameValueAsync(VaultSession session, string value, CancellationToken cancellationToken = default)
    {
        var fingerprint = session.Vault.Fingerprint(KeyValueText.Clean(value));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await FindByFingerprintAsync(db, session.AccountId, fingerprint, cancellationToken);
        return existing is null ? null : ToSummary(existing);
    }

    private async Task<string?> DecryptAndRecordAsync(VaultSession session, Guid keyId, ActivityAction action, RequestOrigin origin, CancellationToken cancellationToken)
    {
        limits.Enforce(LimitedAction.Reveal, session.AccountId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == session.AccountId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        if (key.Environment == VaultEnvironment.Prod)
        {
            // A PROD value is what a thief wants: it needs a fresh "confirm it's you" (once per 10 minutes).
            session.RequireConfirmation();
        }

        var value = session.Vault.DecryptValue(key.Id, key.Environment, key.Ciphertext);
        // Recorded before the value is handed out: a reveal that is not logged does not happen.
        activity.Stage(db, session.AccountId, action, origin, key.Id.ToString(), key.Label, key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return value;
    }

    /// <summary>
    /// The name to suggest for a new key of this environment and service: the convention
    /// (<see cref="KeyLabels.Suggest"/>, or <see cref="KeyLabels.SuggestImported"/>), with a counter when a key of the
    /// same environment and service already has that name (a same-day replacement).
    /// </summary>
    public async Task<string> SuggestLabelAsync(string accountId, VaultEnvironment environment, string? providerId, string providerName, DateTimeOffset on, bool imported = false, CancellationToken cancellationToken = default)
    {
        var suggested = imported ? KeyLabels.SuggestImported(environment, providerName, on) : KeyLabels.Suggest(environment, providerName, on);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return KeyLabels.Distinct(suggested, await LabelsOfServiceAsync(db, accountId, environment, providerId, providerName, exceptKeyId: null, cancellationToken));
    }

    /// <summary>The names of the account's keys (any status) of one environment and service.</summary>
    public async Task<IReadOnlyList<string>> ListLabelsAsync(string accountId, VaultEnvironment environment, string? providerId, string providerName, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await LabelsOfServiceAsync(db, accountId, environment, providerId, providerName, exceptKeyId: null, cancellationToken);
    }

    private static async Task<List<string>> LabelsOfServiceAsync(CreatorKeysDbContext db, string accountId, VaultEnvironment environment, string? providerId, string providerName, Guid? exceptKeyId, CancellationToken cancellationToken)
    {
        // Retired and replaced keys count too: the old key of a rotation lives on at the provider until it is deleted there.
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId && k.Environment == environment)
            .Where(k => providerId == null || k.ProviderId == providerId || k.ProviderId == null)
            .Select(k => new { k.Id, k.ProviderId, k.ProviderName, k.Label })
            .ToListAsync(cancellationToken);
        return keys
            .Where(k => k.Id != exceptKeyId)
            .Where(k => providerId is not null && k.ProviderId is not null
                ? string.Equals(k.ProviderId, providerId, StringComparison.OrdinalIgnoreCase)
                : string.Equals(k.ProviderName.Trim(), providerName.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(k => k.Label)
            .ToList();
    }

    /// <summary>
    /// Why <paramref name="label"/> cannot be used: another key of the same environment and service has the same name
    /// (case and spacing aside). Two keys that look the same get the wrong one deleted at the provider.
    /// </summary>
    private static async Task<string?> SameLabelMessageAsync(CreatorKeysDbContext db, string accountId, VaultEnvironment environment, string? providerId, string providerName, string label, Guid? exceptKeyId, CancellationToken cancellationToken)
    {
        var taken = await LabelsOfServiceAsync(db, accountId, environment, providerId, providerName, exceptKeyId, cancellationToken);
        if (!taken.Any(t => KeyLabels.Same(t, label)))
        {
            return null;
        }

        return $"Another {environment.Code()} {providerName.Trim()} key is already named “{label.Trim()}”. Give this one a name you can tell apart, " +
            $"at the provider too, such as “{KeyLabels.Distinct(label.Trim(), taken)}”.";
    }

    private static async Task<ApiKey?> FindByFingerprintAsync(CreatorKeysDbContext db, string accountId, byte[] fingerprint, CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.AccountId == accountId && k.Fingerprint == fingerprint, cancellationToken);

    private static KeyChangeResult DuplicateValue(ApiKey existing) => KeyChangeResult.Invalid(
        nameof(NewKeyInput.Value),
        $"This exact key is already in your vault as “{existing.Label}” ({existing.Environment.Code()}, {existing.ProviderName}" +
        $"{(existing.Status == KeyStatus.Current ? "" : $", {existing.Status.ToString().ToLowerInvariant()}")}). " +
        "Using one key in several places means one leak exposes all of them: create a separate key at the provider instead.");

    /// <summary>A key's summary as a query projection, so listings read no ciphertext; compiled once for loaded rows.</summary>
    private static readonly Expression<Func<ApiKey, KeySummary>> SummaryOf = k =>
        new KeySummary(k.Id, k.ProviderId, k.ProviderName, k.Environment, k.Label, k.Hint, k.MonthlyCapUsd, k.CapSetAtProvider, k.Status, k.IssuedAt, k.CreatedAt, k.UpdatedAt, k.SlotId, k.CompromisedAt, k.RotationDays, k.DueOn, k.DueNowSince, k.IsManagementKey, k.ProviderKeyId, k.ProviderProjectId, k.ExportName, k.IsMock);

    private static readonly Func<ApiKey, KeySummary> CompiledSummary = SummaryOf.Compile();

    /// <summary>
    /// <see cref="SummaryOf"/> applied to the row's key (so the same columns are read, no ciphertext), with its readings.
    /// Declared after <see cref="SummaryOf"/>, which it is built from: static fields are set in order.
    /// </summary>
    private static readonly Expression<Func<VersionRow, VersionWithReadings>> VersionWithReadingsOf = BuildVersionWithReadings();

    internal static KeySummary ToSummary(ApiKey k) => CompiledSummary(k);
}
