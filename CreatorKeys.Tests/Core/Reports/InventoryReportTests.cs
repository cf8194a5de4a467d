using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Reports;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using CsvHelper;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Reports;

/// <summary>The inventory report and its CSV, JSON and PDF exports, each opened and read back.</summary>
public sealed class InventoryReportTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private string _accountId = "";
    private readonly List<string> _values = [];

    private InventoryReportService Reports => _host.Services.GetRequiredService<InventoryReportService>();

    private ReportExportService Exports => _host.Services.GetRequiredService<ReportExportService>();

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Reminders:TimeZone"] = "UTC", ["CreatorKeys:Accounts:Registration"] = "Open" });
        (var account, _session, _) = await _host.SignUpAsync();
        _accountId = account.Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Build_ListsEveryKeyWithItsFacts_AndSummarises()
    {
        var prod = await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", daysOld: 95, cap: 100);
        await AddAsync("OpenAI", VaultEnvironment.Dev, "DEV — OpenAI — play", daysOld: 10, cap: 5);
        await AddAsync("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — voice", daysOld: 70, cap: 50);
        await _host.Services.GetRequiredService<WorkflowService>().SaveAsync(_accountId, null,
            new WorkflowInput("Avatar video", WorkflowPlatform.Make, VaultEnvironment.Prod, "https://make.com/s/1", null, [new KeyUseInput(prod.Id, "OPENAI_KEY_PROD")]), TestAccounts.Origin);

        var report = await Reports.BuildAsync(_accountId, InventoryFilter.All);

        Assert.Equal(TestAccounts.Email, report.Account);
        Assert.Equal(["ElevenLabs", "OpenAI", "OpenAI"], report.Rows.Select(r => r.Provider));
        var main = report.Rows.Single(r => r.Label == "PROD — OpenAI — main");
        Assert.Equal((prod.Hint, 100m, true, ReportStatus.Current), (main.Hint, main.MonthlyCapUsd, main.CapSetAtProvider, main.Status));
        Assert.Equal(["Avatar video"], main.Workflows);
        Assert.Equal(report.Today.AddDays(-5), main.NextDue);
        var prodSummary = report.Summary.Environments.Single(e => e.Environment == VaultEnvironment.Prod);
        Assert.Equal((2, 150m, 0, 1, 1), (prodSummary.Keys, prodSummary.CapsTotalUsd, prodSummary.OnSchedule, prodSummary.DueSoon, prodSummary.Overdue));
        Assert.Equal(["ElevenLabs (DEV, STAGING)", "OpenAI (STAGING)"], report.Summary.ProvidersMissingAnEnvironment);
        Assert.Equal((1, 1), (report.Summary.Overdue, report.Summary.DueSoon));
    }

    [Fact]
    public async Task Build_Filters_ByEnvironmentProviderStatusAndDueDate()
    {
        await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", daysOld: 95);
        await AddAsync("OpenAI", VaultEnvironment.Dev, "DEV — OpenAI — play", daysOld: 10);
        var retired = await AddAsync("Anthropic", VaultEnvironment.Prod, "PROD — Anthropic — old", daysOld: 10);
        await _host.Vault.RetireKeyAsync(_accountId, retired.Id, TestAccounts.Origin);

        var devOnly = await Reports.BuildAsync(_accountId, new InventoryFilter(Environment: VaultEnvironment.Dev));
        Assert.Equal(["DEV — OpenAI — play"], devOnly.Rows.Select(r => r.Label));
        // The summary stays the whole vault's: filtering to DEV does not make OpenAI "missing" its PROD key.
        Assert.Equal(["OpenAI (STAGING)"], devOnly.Summary.ProvidersMissingAnEnvironment);
        // So does the page's list of services to filter by, worked out once with the kept report.
        Assert.Equal(["Anthropic", "OpenAI"], devOnly.Providers);
        Assert.Equal(["Anthropic", "OpenAI"], (await Reports.BuildAsync(_accountId, InventoryFilter.All)).Providers);
        Assert.Equal(2, (await Reports.BuildAsync(_accountId, new InventoryFilter(Provider: " openai "))).Rows.Count);
        Assert.Equal(["PROD — Anthropic — old"], (await Reports.BuildAsync(_accountId, new InventoryFilter(Status: ReportStatus.Retired))).Rows.Select(r => r.Label));
        Assert.Equal(["PROD — OpenAI — main"], (await Reports.BuildAsync(_accountId, new InventoryFilter(DueWithinDays: 30))).Rows.Select(r => r.Label));
    }

    [Fact]
    public async Task Build_AnotherAccountsKeys_AreNeverIncluded()
    {
        await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — mine", daysOld: 1);
        var (other, _, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);

        Assert.Empty((await Reports.BuildAsync(other.Id, InventoryFilter.All)).Rows);
    }

    [Fact]
    public async Task Csv_ParsesBackToTheSameRows_WithFormulasNeutralised()
    {
        await AddAsync("OpenAI", VaultEnvironment.Prod, "=HYPERLINK(\"http://evil.example\",\"click\")", daysOld: 3, cap: 12.5m);
        await AddAsync("OpenAI", VaultEnvironment.Dev, "DEV, \"quoted\" — OpenAI", daysOld: 3);
        await AddAsync("Make", VaultEnvironment.Staging, "@SUM(1+1)", daysOld: 3);
        await AddAsync("Zapier", VaultEnvironment.Prod, "+cmd|' /C calc'!A0", daysOld: 3);
        await AddAsync("n8n", VaultEnvironment.Prod, "-2+3", daysOld: 3);
        var report = await Reports.BuildAsync(_accountId, InventoryFilter.All);

        var file = await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Csv, TestAccounts.Origin);

        Assert.Equal("text/csv; charset=utf-8", file.ContentType);
        var text = Encoding.UTF8.GetString(file.Content);
        Assert.Contains("\"'=HYPERLINK(", text, StringComparison.Ordinal);
        var parsed = new List<string[]>();
        IReadOnlyList<string> header;
        using (var reader = CsvReader.Create(new MemoryStream(file.Content)))
        {
            while (reader.Read())
            {
                parsed.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
            }

            header = reader.Headers;
        }

        Assert.Equal(InventoryExports.CsvHeader, header);
        var expected = report.Rows.Select(r => InventoryExports.CsvCells(r).Select(Neutralised).ToArray()).ToList();
        Assert.Equal(expected, parsed);
        // Nothing a spreadsheet would run: every cell starts with something harmless.
        Assert.All(parsed.SelectMany(r => r), cell => Assert.False(SafeCsvTests.StartsLikeAFormula(cell), cell));
        var activity = await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(_accountId, 5);
        Assert.Contains(activity, e => e.Action == ActivityAction.ReportExported && e.TargetName!.StartsWith("CSV, 5 keys", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csv_SpentThisMonthColumn_ParsesBackToTheKeptFigureWithItsDate_AndIsEmptyForAKeyNeverRead()
    {
        var read = await AddAsync("OpenRouter", VaultEnvironment.Prod, "PROD — OpenRouter — main", daysOld: 3, cap: 20);
        var voice = await AddAsync("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — voice", daysOld: 3);
        await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — never read", daysOld: 3);
        var readAt = _host.Time.GetUtcNow();
        await using (var db = await _host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<CreatorKeys.Core.Data.CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            db.KeySpends.Add(new CreatorKeys.Core.Providers.Connections.KeySpend { KeyId = read.Id, AccountId = _accountId, ReadAt = readAt, Unit = CreatorKeys.Core.Providers.Connections.SpendUnit.Dollars, UsedThisMonth = 12.4m });
            db.KeySpends.Add(new CreatorKeys.Core.Providers.Connections.KeySpend { KeyId = voice.Id, AccountId = _accountId, ReadAt = readAt, Unit = CreatorKeys.Core.Providers.Connections.SpendUnit.Characters, UsedThisMonth = 12400m, ProviderLimit = 100000m, UsedAgainstLimit = 12400m });
            await db.SaveChangesAsync();
        }

        var file = await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Csv, TestAccounts.Origin);

        var cells = new Dictionary<string, string>();
        using (var reader = CsvReader.Create(new MemoryStream(file.Content)))
        {
            var spent = reader.Headers.ToList().IndexOf("Spent this month");
            Assert.Equal(reader.Headers.ToList().IndexOf("Cap set at provider") + 1, spent);
            while (reader.Read())
            {
                cells[reader.GetString(2)] = reader.GetString(spent);
            }
        }

        var asOf = readAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"12.4 USD (as of {asOf} UTC)", cells["PROD — OpenRouter — main"]);
        Assert.Equal($"12400 characters (as of {asOf} UTC)", cells["PROD — ElevenLabs — voice"]);
        Assert.Equal("", cells["PROD — OpenAI — never read"]);

        var pdf = await PdfTextAsync((await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Pdf, TestAccounts.Origin)).Content);
        var flat = string.Join(" ", pdf.Split((char[])[' ', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Spent this month", flat, StringComparison.Ordinal);
        Assert.Contains("12.4 USD", flat, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_ValidatesAgainstItsSchema_AndCarriesEveryRow()
    {
        var key = await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", daysOld: 40, cap: 80);
        await AddAsync("Runway", VaultEnvironment.Dev, "DEV — Runway", daysOld: 2);

        var file = await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Json, TestAccounts.Origin);

        using var document = JsonDocument.Parse(file.Content);
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        var keys = document.RootElement.GetProperty("keys");
        Assert.Equal(2, keys.GetArrayLength());
        var main = keys.EnumerateArray().Single(k => k.GetProperty("label").GetString() == "PROD — OpenAI — main");
        Assert.Equal(key.Hint, main.GetProperty("hint").GetString());
        Assert.Equal(80m, main.GetProperty("monthlyCapUsd").GetDecimal());
        Assert.Equal("current", main.GetProperty("status").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("formatVersion").GetInt32());
    }

    [Fact]
    public async Task Json_SchemaRejectsADocumentThatBreaksIt()
    {
        await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", daysOld: 1);
        var file = await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Json, TestAccounts.Origin);
        var broken = Encoding.UTF8.GetString(file.Content).Replace("\"status\": \"current\"", "\"status\": \"fine\"", StringComparison.Ordinal);

        using var document = JsonDocument.Parse(broken);
        Assert.False(Schema.Value.Evaluate(document.RootElement).IsValid);
    }

    [Fact]
    public async Task Pdf_HasTheSummaryChartAndEveryRow_OverNumberedPagesWithRepeatedHeaders()
    {
        for (var i = 0; i < 70; i++)
        {
            await AddAsync($"Service{i:00}", (VaultEnvironment)(i % 3), $"Key {i:00} — Service{i:00}", daysOld: i * 2);
        }

        var file = await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Pdf, TestAccounts.Origin);

        Assert.Equal("application/pdf", file.ContentType);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(file.Content, 0, 5));
        var text = await PdfTextAsync(file.Content);
        var pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(pages.Length >= 3, $"Expected the table to need several pages, got {pages.Length}.");
        Assert.Contains("Key inventory", pages[0]);
        Assert.Contains("Keys in use by rotation status", pages[0]);
        Assert.Contains($"Account {TestAccounts.Email}", pages[0]);
        for (var p = 1; p < pages.Length; p++)
        {
            Assert.Contains("Next due", pages[p]);
            Assert.Contains($"Page {p + 1} of {pages.Length}", pages[p]);
        }

        var flat = string.Join(" ", text.Split((char[])[' ', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries));
        var report = await Reports.BuildAsync(_accountId, InventoryFilter.All);
        Assert.All(report.Rows, row =>
        {
            Assert.Contains(row.Label, flat, StringComparison.Ordinal);
            Assert.Contains(row.Hint, flat, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task NoExport_ContainsAValue_OrAnyPieceOfOneLongerThanTheHint()
    {
        await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", daysOld: 5, cap: 10);
        await AddAsync("Anthropic", VaultEnvironment.Dev, "DEV — Anthropic", daysOld: 5, value: "sk-ant-api03-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"));
        await AddAsync("ElevenLabs", VaultEnvironment.Staging, "STAGING — ElevenLabs", daysOld: 5, value: Guid.NewGuid().ToString("N"));

        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            var file = await Exports.ExportAsync(_accountId, InventoryFilter.All, format, TestAccounts.Origin);
            var text = format == ExportFormat.Pdf ? await PdfTextAsync(file.Content) : Encoding.UTF8.GetString(file.Content);
            foreach (var value in _values)
            {
                // The hint shows at most the first 3 and the last 4 characters: no 8-character run of a value may appear.
                for (var i = 0; i + 8 <= value.Length; i++)
                {
                    Assert.False(text.Contains(value.Substring(i, 8), StringComparison.Ordinal), $"{format} contains a piece of a stored value.");
                }
            }
        }
    }

    [Fact]
    public async Task Json_CarriesTheKeptSpendFigure_WithTheCapItWasComparedWith_AndStaysValidVersion1()
    {
        var dollars = await AddAsync("OpenRouter", VaultEnvironment.Prod, "PROD — OpenRouter — main", daysOld: 3, cap: 20);
        var voice = await AddAsync("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — voice", daysOld: 3, cap: 5);
        await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — never read", daysOld: 3, cap: 10);
        var readAt = _host.Time.GetUtcNow().AddHours(-2);
        await using (var db = await _host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<CreatorKeys.Core.Data.CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            db.KeySpends.Add(new CreatorKeys.Core.Providers.Connections.KeySpend { KeyId = dollars.Id, AccountId = _accountId, ReadAt = readAt, Unit = CreatorKeys.Core.Providers.Connections.SpendUnit.Dollars, UsedThisMonth = 12.4m });
            db.KeySpends.Add(new CreatorKeys.Core.Providers.Connections.KeySpend { KeyId = voice.Id, AccountId = _accountId, ReadAt = readAt, Unit = CreatorKeys.Core.Providers.Connections.SpendUnit.Characters, UsedThisMonth = 12400m, ProviderLimit = 100000m, UsedAgainstLimit = 12400m });
            await db.SaveChangesAsync();
        }

        var file = await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Json, TestAccounts.Origin);

        using var document = JsonDocument.Parse(file.Content);
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        var keys = document.RootElement.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("label").GetString()!);
        var spend = keys["PROD — OpenRouter — main"].GetProperty("spend");
        Assert.Equal((12.4m, "USD", 12.4m, 20m, "recordedCap", "month"),
            (spend.GetProperty("usedThisMonth").GetDecimal(), spend.GetProperty("unit").GetString(), spend.GetProperty("used").GetDecimal(), spend.GetProperty("cap").GetDecimal(), spend.GetProperty("capSource").GetString(), spend.GetProperty("period").GetString()));
        Assert.Equal(readAt, spend.GetProperty("asOf").GetDateTimeOffset());
        var characters = keys["PROD — ElevenLabs — voice"].GetProperty("spend");
        // Characters are compared with the plan's character limit, never with the key's dollar cap.
        Assert.Equal((12400m, "characters", 100000m, "providerLimit"),
            (characters.GetProperty("usedThisMonth").GetDecimal(), characters.GetProperty("unit").GetString(), characters.GetProperty("cap").GetDecimal(), characters.GetProperty("capSource").GetString()));
        Assert.Equal(JsonValueKind.Null, keys["PROD — OpenAI — never read"].GetProperty("spend").ValueKind);

        // Additive: a version 1 document written before these fields still validates.
        var before = System.Text.Json.Nodes.JsonNode.Parse(file.Content)!;
        foreach (var key in before["keys"]!.AsArray())
        {
            key!.AsObject().Remove("spend");
            key.AsObject().Remove("managementKey");
        }

        using var old = JsonDocument.Parse(before.ToJsonString());
        Assert.True(Schema.Value.Evaluate(old.RootElement).IsValid);
    }

    [Fact]
    public async Task A_management_key_is_marked_in_every_report_and_is_never_an_unused_key()
    {
        await AddAsync("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", daysOld: 3, cap: 20);
        var management = await _host.Vault.AddKeyAsync(_session,
            new NewKeyInput("OpenRouter", VaultEnvironment.Prod, "PROD — OpenRouter — management", "sk-or-v1-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), "openrouter", IsManagementKey: true),
            TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(management.Succeeded, string.Join(" ", management.Errors.Values));

        var report = await Reports.BuildAsync(_accountId, InventoryFilter.All);
        var json = await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Json, TestAccounts.Origin);
        var csv = await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Csv, TestAccounts.Origin);
        var pdf = await PdfTextAsync((await Exports.ExportAsync(_accountId, InventoryFilter.All, ExportFormat.Pdf, TestAccounts.Origin)).Content);
        var issues = await _host.Services.GetRequiredService<WorkflowService>().CheckAsync(_accountId);

        Assert.Equal(["PROD — OpenRouter — management"], report.Rows.Where(r => r.IsManagementKey).Select(r => r.Label));
        using var document = JsonDocument.Parse(json.Content);
        var flags = document.RootElement.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("label").GetString()!, k => k.GetProperty("managementKey").GetBoolean());
        Assert.Equal([("PROD — OpenAI — main", false), ("PROD — OpenRouter — management", true)], flags.Select(f => (f.Key, f.Value)).Order());
        var workflows = new Dictionary<string, string>();
        using (var reader = CsvReader.Create(new MemoryStream(csv.Content)))
        {
            var column = reader.Headers.ToList().IndexOf("Workflows");
            while (reader.Read())
            {
                workflows[reader.GetString(2)] = reader.GetString(column);
            }
        }

        Assert.Equal(ReportText.ManagementKey, workflows["PROD — OpenRouter — management"]);
        Assert.Equal("", workflows["PROD — OpenAI — main"]);
        Assert.Contains("used only by CreatorKeys", string.Join(" ", pdf.Split((char[])[' ', '\n', '\r', '\f'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        var unused = issues.Where(i => i.Kind == WorkflowIssueKind.UnusedKey).Select(i => i.KeyId).ToList();
        Assert.Contains(report.Rows.Single(r => r.Label == "PROD — OpenAI — main").KeyId, unused);
        Assert.DoesNotContain(management.Key!.Id, unused);
    }

    private async Task<KeySummary> AddAsync(string provider, VaultEnvironment environment, string label, int daysOld, decimal? cap = null, string? value = null)
    {
        value ??= TestAccounts.NewKeyValue();
        _values.Add(value);
        var result = await _host.Vault.AddKeyAsync(
            _session,
            new NewKeyInput(provider, environment, label, value, MonthlyCapUsd: cap, CapSetAtProvider: cap is not null, IssueDate: KeyIssueDate.Of(_host.Time.GetUtcNow().AddDays(-daysOld))),
            TestAccounts.Origin,
            acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    /// <summary>What the CSV holds for a cell: formula-like cells are prefixed with a single quote.</summary>
    private static string Neutralised(string cell) =>
        SafeCsvTests.StartsLikeAFormula(cell) ? "'" + cell : cell;

    /// <summary>The schema shipped in Core, parsed once: it has an $id, and the library registers each id only once.</summary>
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(InventoryExports).Assembly.GetManifestResourceStream("CreatorKeys.Core.Reports.inventory-v1.schema.json")!;
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd());
    });

    /// <summary>The PDF's text as poppler's pdftotext reads it (pages separated by form feeds).</summary>
    internal static async Task<string> PdfTextAsync(byte[] pdf)
    {
        using var folder = new TempFolder();
        var input = Path.Combine(folder.Path, "report.pdf");
        await File.WriteAllBytesAsync(input, pdf);
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", input, "-"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return output;
    }
}
