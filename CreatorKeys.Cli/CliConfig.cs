using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreatorKeys.Cli;

/// <summary>
/// The saved login: one install address and one token per environment (so <c>diff DEV PROD</c> works). Lives in
/// <c>$XDG_CONFIG_HOME/creatorkeys/config.json</c>, else <c>~/.config/creatorkeys/config.json</c> (on Windows
/// <c>%APPDATA%\creatorkeys\config.json</c>); on Unix the folder is 700 and the file 600, readable by the user only.
/// </summary>
public sealed class CliConfig
{
    public string? Url { get; set; }

    /// <summary>Environment name (DEV, STAGING, PROD) → token.</summary>
    public SortedDictionary<string, string> Tokens { get; set; } = new(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string FolderFor(CliConsole console)
    {
        if (OperatingSystem.IsWindows())
        {
            var appData = console.GetVariable("APPDATA");
            return Path.Combine(string.IsNullOrEmpty(appData)
                ? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData)
                : appData, "creatorkeys");
        }

        var xdg = console.GetVariable("XDG_CONFIG_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "creatorkeys");
        }

        var home = console.GetVariable("HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return Path.Combine(home, ".config", "creatorkeys");
    }

    public static string FileFor(CliConsole console) => Path.Combine(FolderFor(console), "config.json");

    public static CliConfig Load(CliConsole console)
    {
        var file = FileFor(console);
        if (!File.Exists(file))
        {
            return new CliConfig();
        }

        try
        {
            var config = JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(file), Json) ?? new CliConfig();
            config.Tokens = new SortedDictionary<string, string>(config.Tokens ?? [], StringComparer.Ordinal);
            return config;
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.NotLoggedIn, $"The saved login in {file} cannot be read; delete it and run `creatorkeys login` again.");
        }
    }

    /// <summary>Writes the whole file next to the old one and moves it into place, created 600 from its first byte.</summary>
    public void Save(CliConsole console)
    {
        var folder = FolderFor(console);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var file = Path.Combine(folder, "config.json");
        var temporary = file + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, Json);
        }

        File.Move(temporary, file, overwrite: true);
    }
}
