using System.Text;
using CreatorKeys.Benchmarks.Harness;

namespace CreatorKeys.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project CreatorKeys.Benchmarks</c> measures everything and prints the
/// table of docs/performance.md. Options: <c>--quick</c> (tiny sizes),
/// <c>--skip micro|vault|web|circuits|api|accounts|reminders</c>, <c>--accounts 1000</c>, <c>--reminder-accounts 100,1000</c>, <c>--vault-keys</c>,
/// <c>--concurrency</c>, <c>--requests</c>, <c>--app published-folder</c>, <c>--database sqlite|postgresql</c>, <c>--out file.md</c>; or <c>seed &lt;folder&gt; [keys] [accounts]</c>.
/// </summary>
public static class BenchmarkProgram
{
    private static readonly int VaultSeederServices = Seeding.VaultSeeder.Services.Count;

    public static async Task<int> Main(string[] args)
    {
        if (args.Contains(EmptyApp.Argument))
        {
            await EmptyApp.RunAsync([.. args.Where(a => a != EmptyApp.Argument)]);
            return 0;
        }

        if (args is [VaultKeyReplacementChild.Argument, var dataFolder, var email, var marker])
        {
            return await VaultKeyReplacementChild.RunAsync(dataFolder, email, marker);
        }

        if (args is ["seed", var folder, ..])
        {
            return await SeedAsync(folder, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1);
        }

        var options = args.Contains("--quick") ? HarnessOptions.Quick : HarnessOptions.Full;
        var skip = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? output = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--skip":
                    skip.UnionWith(args[i + 1].Split(','));
                    break;
                case "--reminder-accounts":
                    options = options with { ReminderAccounts = [.. args[i + 1].Split(',').Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture))] };
                    break;
                case "--vault-keys":
                    options = options with { VaultKeys = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture), PdfKeys = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) / VaultSeederServices };
                    break;
                case "--requests":
                    options = options with { RequestsPerWorker = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "--concurrency":
                    options = options with { Concurrency = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "--circuits":
                    options = options with { Circuits = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "--accounts":
                    options = options with { ManyAccounts = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "--seeded":
                    options = options with { SeededFolder = args[i + 1] };
                    break;
                case "--app":
                    options = options with { PublishedApp = args[i + 1] };
                    break;
                case "--database":
                    options = options with
                    {
                        Database = args[i + 1].ToLowerInvariant() switch
                        {
                            "sqlite" => Core.Data.DatabaseProvider.Sqlite,
                            "postgresql" or "postgres" or "pg" => Core.Data.DatabaseProvider.PostgreSql,
                            var other => throw new ArgumentException($"--database {other}: use sqlite or postgresql."),
                        },
                    };
                    break;
                case "--out":
                    output = args[i + 1];
                    break;
            }
        }

        options = options with { Skip = skip };
        AppProcess.WebAppFolder = options.PublishedApp;
        Console.OutputEncoding = Encoding.UTF8;
        var started = DateTimeOffset.UtcNow;
        var results = await BenchmarkHarness.RunAsync(options, Console.Out);
        var table = ResultTable.ToMarkdown(results);
        var header = $"CreatorKeys benchmarks, {started:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(options.Database == Core.Data.DatabaseProvider.PostgreSql ? "PostgreSQL" : "SQLite")}";
        Console.WriteLine();
        Console.WriteLine(header);
        Console.WriteLine();
        Console.WriteLine(table);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, header + "\n\n" + table);
        }

        return 0;
    }

    /// <summary>
    /// <c>seed &lt;folder&gt; [keys] [accounts]</c>: a data folder the app can be started on
    /// (<c>CreatorKeys__DataFolder=&lt;folder&gt;</c>), signed in as the seeded creator. The first
    /// account's keys go through the real services; further accounts are set-based copies (metadata only).
    /// </summary>
    private static async Task<int> SeedAsync(string folder, int keys, int accounts)
    {
        await using var seeder = await Seeding.VaultSeeder.OpenAsync(folder);
        var (accountId, vault) = await seeder.SignUpAsync(BenchmarkHarness.VaultEmail);
        await seeder.AddKeysAsync(accountId, vault, keys);
        await seeder.CopyAccountAsync(accountId, accounts - 1);
        Console.WriteLine($"Seeded {Path.GetFullPath(folder)}: {accounts:N0} account(s) of {keys:N0} keys. Sign in as {BenchmarkHarness.VaultEmail} / {Seeding.VaultSeeder.Password}.");
        return 0;
    }
}
