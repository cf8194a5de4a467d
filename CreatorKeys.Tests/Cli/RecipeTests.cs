using System.ComponentModel;
using System.Text.RegularExpressions;

namespace CreatorKeys.Tests.Cli;

/// <summary>docs/recipes.md as written: its Python script, started by the real creatorkeys tool against a fake install.</summary>
public sealed partial class RecipeTests : IDisposable
{
    private static readonly string Token = FakeCreatorKeysApi.TokenFor("DEV", "recipe1");
    private readonly FakeCreatorKeysApi _api = new();
    private readonly CliRunner _cli = new();

    public void Dispose()
    {
        _cli.Dispose();
        _api.Dispose();
    }

    [Fact]
    public async Task PythonRecipe_StartedByCreatorKeysRun_SeesTheMockKeyAndExitsZero()
    {
        if (!await HasPythonAsync())
        {
            return; // No python3 on this machine: nothing to run the recipe with.
        }

        _api.Serve(Token, "DEV", new Dictionary<string, string> { ["OPENAI_API_KEY"] = "mock-openai-key-dev" }, mode: "Mock");
        var script = await WriteRecipeScriptAsync();

        var result = await CliProcess.RunToolAsync(
            new Dictionary<string, string?>
            {
                ["XDG_CONFIG_HOME"] = Path.Combine(_cli.HomePath, "config"),
                ["CREATORKEYS_URL"] = _api.Url,
                ["CREATORKEYS_TOKEN"] = Token,
                ["OPENAI_API_KEY"] = null,
            },
            "run", "--env", "DEV", "--", "python3", script);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("Ready: an OpenAI key ending in -dev is set.", result.Output.Trim());
    }

    [Fact]
    public async Task PythonRecipe_StartedWithoutCreatorKeys_ExplainsHowToStartIt()
    {
        if (!await HasPythonAsync())
        {
            return;
        }

        var script = await WriteRecipeScriptAsync();

        var result = await CliProcess.RunAsync("python3", [script], new Dictionary<string, string?> { ["OPENAI_API_KEY"] = null });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("creatorkeys run --env DEV -- python3 make_video.py", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> WriteRecipeScriptAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CreatorKeys.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var recipes = await File.ReadAllTextAsync(Path.Combine(root.FullName, "docs", "recipes.md"));
        var python = PythonBlock().Match(recipes);
        Assert.True(python.Success, "docs/recipes.md has no ```python block");
        var script = Path.Combine(_cli.HomePath, "make_video.py");
        await File.WriteAllTextAsync(script, python.Groups["code"].Value);
        return script;
    }

    private static async Task<bool> HasPythonAsync()
    {
        try
        {
            return (await CliProcess.RunAsync("python3", ["--version"], new Dictionary<string, string?>())).ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }

    [GeneratedRegex(@"```python\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();
}
