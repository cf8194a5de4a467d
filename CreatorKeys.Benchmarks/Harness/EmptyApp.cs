using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>The start-up baseline: <c>dotnet</c> running an empty ASP.NET app that answers <c>/healthz</c>.</summary>
public static class EmptyApp
{
    public const string Argument = "empty-app";

    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("Healthy"));
        await app.RunAsync();
    }
}
