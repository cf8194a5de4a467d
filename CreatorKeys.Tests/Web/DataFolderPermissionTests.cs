using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web;

/// <summary>The data folder and everything in it belong to the app's user alone: folders 0700, files 0600.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFolderPermissionTests
{
    [Fact]
    public async Task AfterAFullRun_EveryFolderIs0700_AndEveryFileIs0600()
    {
        using var folder = new TempFolder();
        // An install made by an older version: readable by everyone on the machine.
        File.SetUnixFileMode(folder.Path, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Combine(folder.Path, "outbox"));
        var oldMessage = Path.Combine(folder.Path, "outbox", "20260101-000000-old.eml");
        await File.WriteAllTextAsync(oldMessage, "Subject: old\r\n\r\nold\r\n");
        File.SetUnixFileMode(oldMessage, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(Path.Combine(folder.Path, "outbox"), (UnixFileMode)0b111_101_101);

        using (var app = AppHost.Start(folder))
        {
            using var client = PageClient.For(app);
            var session = await app.SignUpThroughFormAsync(client);
            await app.AddKeyAsync(session, TestAccounts.NewKeyValue());
            Assert.True((await app.Services.GetRequiredService<OutboxService>().SendTestAsync(TestAccounts.Email)).Succeeded);

            var running = Entries(folder.Path);
            Assert.Contains(running, e => e.Name == "creatorkeys.db-wal");
            Assert.Contains(running, e => e.Name == "creatorkeys.db-shm");
            Assert.Contains(running, e => e.Name.StartsWith("keys/key-", StringComparison.Ordinal));
            Assert.True(running.Count(e => e.Name.StartsWith("outbox/", StringComparison.Ordinal) && e.Name.EndsWith(".eml", StringComparison.Ordinal)) >= 2);
            AssertOwnerOnly(folder.Path, running);
        }

        AssertOwnerOnly(folder.Path, Entries(folder.Path));
    }

    private static void AssertOwnerOnly(string root, IReadOnlyList<(string Name, bool IsFolder, UnixFileMode Mode)> entries)
    {
        Assert.Equal(DataFolder.FolderMode, File.GetUnixFileMode(root));
        foreach (var (name, isFolder, mode) in entries)
        {
            var expected = isFolder ? DataFolder.FolderMode : DataFolder.FileMode;
            Assert.True(mode == expected, $"{name} is {Convert.ToString((int)mode, 8)}, not {Convert.ToString((int)expected, 8)}");
        }
    }

    private static List<(string Name, bool IsFolder, UnixFileMode Mode)> Entries(string root) =>
        new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(e => (Path.GetRelativePath(root, e.FullName).Replace('\\', '/'), e is DirectoryInfo, e.UnixFileMode))
            .ToList();
}
