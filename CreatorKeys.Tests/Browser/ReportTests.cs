using System.Text;
using System.Text.Json;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Core.Reports;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>The inventory report as a creator uses it: filter, preview, download every format.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportTests(BrowserFixture browser)
{
    [Fact]
    public async Task Reports_FilterAndDownloadEveryFormat_WithoutASecret()
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.StepsAsync(nameof(Reports_FilterAndDownloadEveryFormat_WithoutASecret), async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            var prodValue = TestAccounts.NewKeyValue();
            var devValue = TestAccounts.NewKeyValue();
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "PROD", prodValue);
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "DEV", devValue);

            await page.GotoAsync("reports");
            await page.WaitForInteractiveAsync();
            var table = page.GetByTestId("report-table");
            await Assertions.Expect(table.GetByRole(AriaRole.Link)).ToHaveCountAsync(2);
            await Assertions.Expect(page.GetByTestId("summary-PROD")).ToContainTextAsync("1 key in use");
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("reports-1-all");

            // Only PROD.
            await page.GetByLabel("Environment").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "PROD" }).ClickAsync();
            await Assertions.Expect(table.GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByText("Download this key:")).ToBeVisibleAsync();

            var csv = await DownloadAsync(page, "CSV (spreadsheet)");
            var json = await DownloadAsync(page, "JSON");
            var pdf = await DownloadAsync(page, "PDF");

            Assert.Matches(@"^creatorkeys-inventory-\d{4}-\d{2}-\d{2}\.csv$", csv.Name);
            var csvText = Encoding.UTF8.GetString(csv.Content);
            Assert.Contains("PROD — OpenAI — Created ", csvText, StringComparison.Ordinal);
            Assert.DoesNotContain("DEV — OpenAI", csvText, StringComparison.Ordinal);
            using var document = JsonDocument.Parse(json.Content);
            Assert.Equal("PROD", document.RootElement.GetProperty("filter").GetProperty("environment").GetString());
            Assert.Equal(1, document.RootElement.GetProperty("keys").GetArrayLength());
            // Kept beside the screenshots, for a person to look at.
            await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "screenshots", "reports-inventory.pdf"), pdf.Content);
            var pdfText = await InventoryReportTests.PdfTextAsync(pdf.Content);
            Assert.Contains("Key inventory", pdfText, StringComparison.Ordinal);
            Assert.Contains("PROD only", pdfText, StringComparison.Ordinal);

            foreach (var text in new[] { csvText, Encoding.UTF8.GetString(json.Content), pdfText })
            {
                Assert.DoesNotContain(prodValue[..12], text, StringComparison.Ordinal);
                Assert.DoesNotContain(prodValue[^8..], text, StringComparison.Ordinal);
            }

            await page.ScreenshotAsync("reports-2-prod");

            // Every download is in the activity log, and the log verifies as intact.
            await page.GotoAsync("activity");
            await page.WaitForInteractiveAsync();
            // By role: the page holds the desktop table and the phone's day feed, one of them hidden by the width.
            await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Downloaded the key inventory", Exact = true })).ToHaveCountAsync(3);
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify the log" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("verify-result")).ToContainTextAsync("Intact: all");
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("activity-verified");
        });
    }

    [Fact]
    public async Task Backup_DownloadOnOneInstall_RestoreOnAnother_ValuesComeBackIdentically()
    {
        const string passphrase = "lantern orbit pickle meadow";
        var value = TestAccounts.NewKeyValue();
        byte[] backup;
        using (var source = AppHost.Start())
        {
            await using var context = await browser.NewContextAsync(source.BaseAddress);
            var page = await context.NewPageAsync();
            backup = await page.StepsAsync(nameof(Backup_DownloadOnOneInstall_RestoreOnAnother_ValuesComeBackIdentically) + "-source", async () =>
            {
                await BrowserJourney.SignUpAsync(page);
                await BrowserJourney.AddKeyAsync(page, "OpenAI", "PROD", value);
                await page.GotoAsync("reports");
                await page.WaitForInteractiveAsync();
                await page.GetByLabel("Backup passphrase").FillAsync(passphrase);
                await page.GetByLabel("Type the passphrase again").FillAsync(passphrase);
                var download = await page.RunAndWaitForDownloadAsync(async () =>
                {
                    await page.GetByRole(AriaRole.Button, new() { Name = "Download backup" }).ClickAsync();
                    await BrowserJourney.ConfirmItsYouAsync(page);
                });
                Assert.Matches(@"^creatorkeys-backup-\d{4}-\d{2}-\d{2}\.ckbackup$", download.SuggestedFilename);
                await Assertions.Expect(page.GetByTestId("backup-result")).ToContainTextAsync("Backup downloaded");
                Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
                await page.ScreenshotAsync("backup-1-downloaded");
                await using var stream = await download.CreateReadStreamAsync();
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                return copy.ToArray();
            });
        }

        Assert.DoesNotContain(value[^8..], Encoding.UTF8.GetString(backup), StringComparison.Ordinal);

        using var target = AppHost.Start();
        await using var targetContext = await browser.NewContextAsync(target.BaseAddress);
        var targetPage = await targetContext.NewPageAsync();
        await targetPage.StepsAsync(nameof(Backup_DownloadOnOneInstall_RestoreOnAnother_ValuesComeBackIdentically) + "-target", async () =>
        {
            await BrowserJourney.SignUpAsync(targetPage, "restored@example.com");
            await targetPage.GotoAsync("reports");
            await targetPage.WaitForInteractiveAsync();
            await targetPage.Locator("#ck-restore-file").SetInputFilesAsync(new FilePayload { Name = "backup.ckbackup", MimeType = "application/json", Buffer = backup });
            // The file travels to the server over the live connection before its name shows; on a loaded machine that can take more than the default 5 s.
            await Assertions.Expect(targetPage.GetByTestId("restore-file")).ToHaveTextAsync("Chosen: backup.ckbackup", new() { Timeout = 30_000 });

            // A wrong passphrase first: a clear message, nothing restored.
            await targetPage.GetByLabel("The backup's passphrase").FillAsync("not the passphrase at all");
            await targetPage.GetByRole(AriaRole.Button, new() { Name = "Restore", Exact = true }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(targetPage);
            await Assertions.Expect(targetPage.GetByTestId("restore-result")).ToHaveTextAsync(CreatorKeys.Core.Backup.BackupFile.WrongPassphraseMessage, new() { Timeout = 30_000 });

            await targetPage.GetByLabel("The backup's passphrase").FillAsync(passphrase);
            await targetPage.GetByRole(AriaRole.Button, new() { Name = "Restore", Exact = true }).ClickAsync();
            await Assertions.Expect(targetPage.GetByTestId("restore-result")).ToContainTextAsync("Restored 1 key and 0 workflows", new() { Timeout = 30_000 });
            await Assertions.Expect(targetPage.GetByTestId("report-table").GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
            await targetPage.ScreenshotAsync("backup-2-restored");
        });

        var session = Assert.Single(target.OpenSessions());
        await target.Services.ConfirmItsYouAsync(session);
        var keys = await target.Services.GetRequiredService<VaultService>().ListKeysAsync(session.AccountId);
        Assert.Equal(value, await target.Services.GetRequiredService<VaultService>().RevealAsync(session, Assert.Single(keys).Id, TestAccounts.Origin));
    }

    private static async Task<(string Name, byte[] Content)> DownloadAsync(IPage page, string format)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = $"Download as {format}" }).ClickAsync());
        await using var stream = await download.CreateReadStreamAsync();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return (download.SuggestedFilename, copy.ToArray());
    }
}
