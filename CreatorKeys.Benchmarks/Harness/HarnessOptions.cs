namespace CreatorKeys.Benchmarks.Harness;

/// <summary>What to measure and at what sizes. <see cref="Full"/> is the run in docs/performance.md; <see cref="Quick"/> the smoke test's.</summary>
public sealed record HarnessOptions
{
    public static HarnessOptions Full { get; } = new();

    /// <summary>Tiny sizes and single runs: proves every part still works, in seconds; its figures mean nothing.</summary>
    public static HarnessOptions Quick { get; } = new()
    {
        UseBenchmarkDotNet = false,
        VaultKeys = 20,
        PdfKeys = 2,
        ReminderAccounts = [3],
        KeysPerAccount = 5,
        Concurrency = 4,
        RequestsPerWorker = 2,
        Runs = 1,
        StartUpRuns = 1,
        StartUpOnEmptyFolder = false,
        Circuits = 2,
        ManyAccounts = 3,
        ManyAccountsKeys = 4,
        ApiKeys = 10,
    };

    /// <summary>Micro-benchmarks through BenchmarkDotNet (in process); otherwise a short stopwatch loop.</summary>
    public bool UseBenchmarkDotNet { get; init; } = true;

    public int VaultKeys { get; init; } = 10_000;

    /// <summary>Keys of one service in the seeded vault (it holds <see cref="VaultKeys"/> / 10 of each): the PDF's size.</summary>
    public int PdfKeys { get; init; } = 1_000;

    public IReadOnlyList<int> ReminderAccounts { get; init; } = [100, 1_000, 10_000];

    public int KeysPerAccount { get; init; } = 100;

    /// <summary>
    /// Keys in the access token's environment for the API figure (issue 22). A multiple of the seeder's ten services:
    /// it deals keys to the environments ten at a time.
    /// </summary>
    public int ApiKeys { get; init; } = 100;

    public int Concurrency { get; init; } = 32;

    public int RequestsPerWorker { get; init; } = 50;

    public int Runs { get; init; } = 5;

    public int StartUpRuns { get; init; } = 3;

    /// <summary>Also start the app on an empty folder, to tell the data's share of the start-up from the fixed cost.</summary>
    public bool StartUpOnEmptyFolder { get; init; } = true;

    /// <summary>Accounts in the many-accounts line (part <c>accounts</c>), each of <see cref="ManyAccountsKeys"/> keys.</summary>
    public int ManyAccounts { get; init; } = 1_000;

    public int ManyAccountsKeys { get; init; } = 100;

    /// <summary>Browser pages (circuits) opened for the memory-per-circuit figure.</summary>
    public int Circuits { get; init; } = 50;

    /// <summary>A folder <c>dotnet publish</c> wrote the app to (<c>--app</c>); null measures the build output.</summary>
    public string? PublishedApp { get; init; }

    /// <summary>
    /// A folder made by <c>seed &lt;folder&gt; 10000</c> (SQLite) to copy for the pages and memory parts instead of seeding
    /// one (about 3 minutes at 10,000 keys): for measuring a change again and again. The unlock and export lines, which
    /// need the seeder, are then left out.
    /// </summary>
    public string? SeededFolder { get; init; }

    /// <summary>
    /// The database measured (<c>--database sqlite|postgresql</c>): SQLite files as shipped, or a throwaway PostgreSQL
    /// cluster started for the run (<see cref="BenchmarkDatabase"/>).
    /// </summary>
    public Core.Data.DatabaseProvider Database { get; init; } = Core.Data.DatabaseProvider.Sqlite;

    public ISet<string> Skip { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a part (micro, vault, web, circuits, api, accounts, reminders) is measured in this run.</summary>
    public bool Includes(string part) => !Skip.Contains(part);
}
