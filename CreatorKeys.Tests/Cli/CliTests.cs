using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CreatorKeys.Cli;
using CreatorKeys.Core.Import;

namespace CreatorKeys.Tests.Cli;

/// <summary>The creatorkeys command end to end against a fake of the /api/v1 contract on loopback.</summary>
public sealed class CliTests : IDisposable
{
    private static readonly string DevToken = FakeCreatorKeysApi.TokenFor("DEV");
    private static readonly string ProdToken = FakeCreatorKeysApi.TokenFor("PROD");
    private const string OpenAiValue = "sk-dev-Z59H-value-from-the-fake";

    private static readonly Dictionary<string, string> DevSecrets = new()
    {
        ["OPENAI_API_KEY"] = OpenAiValue,
        ["ELEVENLABS_API_KEY"] = "el-dev-secret-1",
        ["REPLICATE_API_TOKEN"] = "r8-dev-secret-2",
    };

    /// <summary>Values a careless .env or shell writer would break.</summary>
    private static readonly Dictionary<string, string> NastySecrets = new()
    {
        ["SPACES"] = "two words  and a trailing space ",
        ["SINGLE_QUOTE"] = "it's o'clock",
        ["DOUBLE_QUOTE"] = "say \"hi\"",
        ["BOTH_QUOTES"] = "'a' \"b\" \\\" '\\''",
        ["HASH"] = "abc #not-a-comment",
        ["DOLLAR"] = "$HOME ${PATH} $(echo no) `echo no`",
        ["NEWLINES"] = "line one\nline two\r\nline three\n",
        ["BACKSLASH"] = "C:\\path\\n\\t\\",
        ["TAB"] = "a\tb",
        ["UNICODE"] = "clé ✓ 鍵",
        ["EMPTY"] = "",
        ["EQUALS"] = "a=b==",
    };

    private readonly FakeCreatorKeysApi _api = new();
    private readonly CliRunner _cli = new();

    public void Dispose()
    {
        _cli.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task Login_TokenOnStandardInput_SavesAddressAndTokenUnderItsEnvironmentForTheUserOnly()
    {
        _api.Serve(DevToken, "DEV", DevSecrets);

        var result = await _cli.RunWithInputAsync(DevToken + "\n", "login", "--url", _api.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("DEV", result.Output, StringComparison.Ordinal);
        Assert.Contains(FakeCreatorKeysApi.Install, result.Output, StringComparison.Ordinal);
        using var saved = JsonDocument.Parse(File.ReadAllText(_cli.ConfigFile));
        Assert.Equal(_api.Url, saved.RootElement.GetProperty("url").GetString());
        Assert.Equal(DevToken, saved.RootElement.GetProperty("tokens").GetProperty("DEV").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.ConfigFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_cli.ConfigFolder));
        }

        AssertNoSecretIn(result);
    }

    [Fact]
    public async Task Login_SecondEnvironment_KeepsTheFirstToken()
    {
        _api.Serve(DevToken, "DEV", DevSecrets);
        _api.Serve(ProdToken, "PROD", DevSecrets);

        await _cli.LoginAsync(_api.Url, DevToken);
        _cli.Variables["CREATORKEYS_TOKEN"] = ProdToken;
        var result = await _cli.RunAsync("login", "--url", _api.Url);

        Assert.Equal(0, result.ExitCode);
        using var saved = JsonDocument.Parse(File.ReadAllText(_cli.ConfigFile));
        var tokens = saved.RootElement.GetProperty("tokens");
        Assert.Equal(DevToken, tokens.GetProperty("DEV").GetString());
        Assert.Equal(ProdToken, tokens.GetProperty("PROD").GetString());
    }

    [Theory]
    [InlineData("http://keys.example.com")]
    [InlineData("http://192.168.1.20:8080")]
    public async Task Login_PlainHttpToAnotherComputer_RefusedBeforeAnyRequest(string url)
    {
        var result = await _cli.RunWithInputAsync(DevToken + "\n", "login", "--url", url);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Refusing plain http", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.ConfigFile));
        AssertNoSecretIn(result);
    }

    [Fact]
    public async Task Login_RefusedToken_SaysItMayBeRevokedOrExpiredAndSavesNothing()
    {
        var result = await _cli.RunWithInputAsync(DevToken + "\n", "login", "--url", _api.Url);

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("This token was refused: it may be revoked or expired — make a new one in Settings → Access tokens", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(_cli.ConfigFile));
        AssertNoSecretIn(result);
    }

    [Fact]
    public async Task Login_TextThatIsNotAToken_RefusedWithoutSendingIt()
    {
        var result = await _cli.RunWithInputAsync("sk-proj-not-a-creatorkeys-token\n", "login", "--url", _api.Url);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(0, _api.RequestCount);
        Assert.DoesNotContain("sk-proj", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_OneEnvironment_ForgetsOnlyThatToken()
    {
        _api.Serve(DevToken, "DEV", DevSecrets);
        _api.Serve(ProdToken, "PROD", DevSecrets);
        await _cli.LoginAsync(_api.Url, DevToken);
        await _cli.LoginAsync(_api.Url, ProdToken);

        var result = await _cli.RunAsync("logout", "--env", "prod");

        Assert.Equal(0, result.ExitCode);
        var saved = File.ReadAllText(_cli.ConfigFile);
        Assert.Contains(DevToken, saved, StringComparison.Ordinal);
        Assert.DoesNotContain(ProdToken, saved, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotLoggedIn, (await _cli.RunAsync("export", "--env", "PROD")).ExitCode);
    }

    [Fact]
    public async Task Run_ChildReadsTheVariable_GetsTheFakesValueAndItsExitCodeComesBack()
    {
        _api.Serve(DevToken, "DEV", DevSecrets);
        await _cli.LoginAsync(_api.Url, DevToken);
        var written = Path.Combine(_cli.HomePath, "child-saw.txt");

        var result = await _cli.RunAsync("run", "--env", "DEV", "--", "sh", "-c", "printf %s \"$OPENAI_API_KEY\" > \"$1\"; exit 7", "sh", written);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal(OpenAiValue, File.ReadAllText(written));
        AssertNoSecretIn(result);
    }

    [Fact]
    public async Task Run_ProgramThatDoesNotExist_SaysSoWithShellsCode()
    {
        _api.Serve(DevToken, "DEV", DevSecrets);
        await _cli.LoginAsync(_api.Url, DevToken);

        var result = await _cli.RunAsync("run", "--env", "DEV", "--", "no-such-program-ck");

        Assert.Equal(ExitCodes.CannotStart, result.ExitCode);
        Assert.Contains("no-such-program-ck", result.Error, StringComparison.Ordinal);
        AssertNoSecretIn(result);
    }

    /// <summary>The packaged tool as a real process: CREATORKEYS_URL/TOKEN only, no saved login, stdout is the child's.</summary>
    [Fact]
    public async Task Run_AsARealProcessWithVariablesOnly_ChildPrintsTheValueOverridesTheShellAndNeverSeesTheToken()
    {
        _api.Serve(DevToken, "DEV", DevSecrets);
        var variables = new Dictionary<string, string?>
        {
            ["XDG_CONFIG_HOME"] = Path.Combine(_cli.HomePath, "empty-config"),
            ["CREATORKEYS_URL"] = _api.Url,
            ["CREATORKEYS_TOKEN"] = DevToken,
            ["OPENAI_API_KEY"] = "the-shells-own-value",
            ["KEEP_ME"] = "inherited",
        };

        var result = await CliProcess.RunToolAsync(variables, "run", "--env", "DEV", "--", "sh", "-c", "printf '%s|%s|%s' \"$OPENAI_API_KEY\" \"${CREATORKEYS_TOKEN-unset}\" \"$KEEP_ME\"; exit 7");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal($"{OpenAiValue}|unset|inherited", result.Output);
        Assert.Equal("", result.Error);
        Assert.False(Directory.Exists(Path.Combine(_cli.HomePath, "empty-config")));
    }

    [Fact]
    public async Task Diff_FailOnMissing_ProdLacksADevName_ExitsOneAndNamesIt()
    {
        _api.Serve(DevToken, "DEV", DevSecrets);
        _api.Serve(ProdToken, "PROD", new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-prod-1", ["PROD_ONLY_KEY"] = "p-2" });
        await _cli.LoginAsync(_api.Url, DevToken);
        await _cli.LoginAsync(_api.Url, ProdToken);

        var result = await _cli.RunAsync("diff", "DEV", "PROD", "--fail-on-missing");

        Assert.Equal(ExitCodes.Missing, result.ExitCode);
        var inDevOnly = result.Output.Split("In PROD, missing in DEV:")[0];
        Assert.Contains("ELEVENLABS_API_KEY", inDevOnly, StringComparison.Ordinal);
        Assert.Contains("REPLICATE_API_TOKEN", inDevOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("OPENAI_API_KEY", result.Output, StringComparison.Ordinal);
        Assert.Contains("PROD_ONLY_KEY", result.Output.Split("In PROD, missing in DEV:")[1], StringComparison.Ordinal);
        AssertNoSecretIn(result);
        Assert.DoesNotContain("sk-prod-1", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_FailOnMissing_ProdHasEveryDevName_ExitsZeroEvenWithExtraProdNames()
    {
        var prod = new Dictionary<string, string>(DevSecrets) { ["PROD_ONLY_KEY"] = "p-2" };
        _api.Serve(DevToken, "DEV", DevSecrets);
        _api.Serve(ProdToken, "PROD", prod);
        await _cli.LoginAsync(_api.Url, DevToken);
        await _cli.LoginAsync(_api.Url, ProdToken);

        var result = await _cli.RunAsync("diff", "DEV", "PROD", "--fail-on-missing");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("In DEV, missing in PROD: none", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_WithoutAProdToken_SaysNotLoggedInForProd()
    {
        _api.Serve(DevToken, "DEV", DevSecrets);
        await _cli.LoginAsync(_api.Url, DevToken);

        var result = await _cli.RunAsync("diff", "DEV", "PROD", "--fail-on-missing");

        Assert.Equal(ExitCodes.NotLoggedIn, result.ExitCode);
        Assert.Contains("No token for PROD", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_DotEnv_ReadsBackThroughTheImportParser()
    {
        var output = await ExportNastyAsync("dotenv");

        var document = DotEnvParser.Parse(output);

        Assert.Empty(document.Problems);
        Assert.Equal(NastySecrets.OrderBy(s => s.Key, StringComparer.Ordinal), document.Entries.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)).OrderBy(s => s.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_Json_ReadsBackAsAnObjectOfNamesToValues()
    {
        var output = await ExportNastyAsync("json");

        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(output)!;

        Assert.Equal(NastySecrets.OrderBy(s => s.Key, StringComparer.Ordinal), values.OrderBy(s => s.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_Shell_SourcedBySh_GivesBackEveryValue()
    {
        var output = await ExportNastyAsync("shell");
        var file = Path.Combine(_cli.HomePath, "keys.sh");
        await File.WriteAllTextAsync(file, output);
        var names = NastySecrets.Keys.Order(StringComparer.Ordinal).ToList();
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(". \"$1\"; " + string.Concat(names.Select(n => $"printf '%s\\036' \"${n}\"; ")));
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(file);
        start.Environment["LC_ALL"] = "C.UTF-8";

        using var process = Process.Start(start)!;
        var printed = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(names.Select(n => NastySecrets[n]), printed.Split('\u001e')[..^1]);
    }

    [Fact]
    public async Task Export_NameAShellCannotHold_LeftOutWithAWarningThatShowsNoValue()
    {
        _api.Serve(DevToken, "DEV", new Dictionary<string, string> { ["GOOD_NAME"] = "v-good", ["BAD;touch x"] = "v-bad-value" });
        await _cli.LoginAsync(_api.Url, DevToken);

        var result = await _cli.RunAsync("export", "--format", "shell");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("export GOOD_NAME='v-good'\n", result.Output);
        Assert.Contains("BAD;touch x", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("v-bad-value", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhoAmI_TwoSavedTokens_ShowsInstallEnvironmentModeTokenAndExpiryForEach()
    {
        _api.Serve(DevToken, "DEV", DevSecrets, mode: "Mock");
        _api.Serve(ProdToken, "PROD", DevSecrets);
        await _cli.LoginAsync(_api.Url, DevToken);
        await _cli.LoginAsync(_api.Url, ProdToken);

        var result = await _cli.RunAsync("whoami");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("DEV      Mock", lines[0], StringComparison.Ordinal);
        Assert.Contains("“DEV laptop”, expires 2027-03-07 10:00 UTC", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("PROD     Live", lines[1], StringComparison.Ordinal);
        Assert.Contains(FakeCreatorKeysApi.Install, lines[1], StringComparison.Ordinal);
        AssertNoSecretIn(result);
    }

    [Fact]
    public async Task Export_NotLoggedIn_SaysHowToLogIn()
    {
        var result = await _cli.RunAsync("export", "--env", "DEV");

        Assert.Equal(ExitCodes.NotLoggedIn, result.ExitCode);
        Assert.Contains("creatorkeys login", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_OtherEnvironment_Forbidden()
    {
        _cli.Variables["CREATORKEYS_URL"] = _api.Url;
        _cli.Variables["CREATORKEYS_TOKEN"] = DevToken;
        _api.Fail(DevToken, 403);

        var result = await _cli.RunAsync("export");

        Assert.Equal(ExitCodes.Forbidden, result.ExitCode);
        Assert.Contains("serves one environment", result.Error, StringComparison.Ordinal);
        AssertNoSecretIn(result);
    }

    [Fact]
    public async Task Export_RateLimited_SaysHowLongToWait()
    {
        _cli.Variables["CREATORKEYS_URL"] = _api.Url;
        _cli.Variables["CREATORKEYS_TOKEN"] = DevToken;
        _api.Fail(DevToken, 429, retryAfter: "42");

        var result = await _cli.RunAsync("export", "--env", "DEV");

        Assert.Equal(ExitCodes.RateLimited, result.ExitCode);
        Assert.Contains("wait 42 seconds", result.Error, StringComparison.Ordinal);
        AssertNoSecretIn(result);
    }

    [Fact]
    public async Task Export_ServerUnreachable_SaysWhichAddress()
    {
        var url = _api.Url;
        _api.Dispose();
        _cli.Variables["CREATORKEYS_URL"] = url;
        _cli.Variables["CREATORKEYS_TOKEN"] = DevToken;

        var result = await _cli.RunAsync("export", "--env", "DEV");

        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.Contains("Cannot reach " + url, result.Error, StringComparison.Ordinal);
        AssertNoSecretIn(result);
    }

    [Fact]
    public async Task Export_PlainHttpAddressInTheVariable_Refused()
    {
        _cli.Variables["CREATORKEYS_URL"] = "http://keys.example.com";
        _cli.Variables["CREATORKEYS_TOKEN"] = DevToken;

        var result = await _cli.RunAsync("export", "--env", "DEV");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Refusing plain http", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> ExportNastyAsync(string format)
    {
        _api.Serve(DevToken, "DEV", NastySecrets);
        await _cli.LoginAsync(_api.Url, DevToken);
        var result = await _cli.RunAsync("export", "--env", "DEV", "--format", format);
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output;
    }

    /// <summary>Neither token nor any value the fake serves appears in what the command printed (errors) or said.</summary>
    private static void AssertNoSecretIn(CliResult result)
    {
        foreach (var secret in new[] { DevToken, ProdToken, "c2VjcmV0LXZhbHVl" }.Concat(DevSecrets.Values))
        {
            Assert.DoesNotContain(secret, result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, result.Output, StringComparison.Ordinal);
        }
    }
}
