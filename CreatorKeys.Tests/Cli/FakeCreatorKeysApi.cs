using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Cli;

/// <summary>
/// The /api/v1 contract (docs/cli.md, "The API") played by WireMock on loopback: each served token answers for its
/// one environment; any other bearer gets the contract's 401 problem.
/// </summary>
public sealed class FakeCreatorKeysApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public FakeCreatorKeysApi()
    {
        Server = WireMockServer.Start();
        Server.Given(Request.Create().UsingAnyMethod()).AtPriority(100)
            .RespondWith(Problem(401, "Unauthorized", "The access token was not accepted."));
    }

    public const string Install = "Studio keys";

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    public static string TokenFor(string environment, string id = "t0k3n") => $"ck_{environment.ToLowerInvariant()}_{id}.c2VjcmV0LXZhbHVl_x-{id}";

    /// <summary>Answers <paramref name="token"/> with <paramref name="secrets"/> (name → value) for its environment.</summary>
    public void Serve(string token, string environment, IReadOnlyDictionary<string, string> secrets, string mode = "Live")
    {
        var bearer = "Bearer " + token;
        Server.Given(Request.Create().WithPath("/api/v1/environments").UsingGet().WithHeader("Authorization", bearer)).AtPriority(1)
            .RespondWith(JsonBody(200, new
            {
                install = Install,
                token = new { name = $"{environment} laptop", expiresAt = "2027-03-07T10:00:00Z" },
                environments = new[] { new { name = environment, mode } },
            }));
        Server.Given(Request.Create().WithPath("/api/v1/secrets").UsingGet().WithHeader("Authorization", bearer)).AtPriority(1)
            .RespondWith(JsonBody(200, new
            {
                environment,
                mode,
                secrets = secrets.Select(s => new
                {
                    name = s.Key,
                    value = s.Value,
                    provider = "OpenAI",
                    label = $"{environment} — OpenAI — main",
                    hint = "ends " + s.Value[^Math.Min(4, s.Value.Length)..],
                    updated = "2026-12-07T10:00:00Z",
                }),
            }));
    }

    /// <summary>Every request with <paramref name="token"/> gets <paramref name="status"/> as a problem.</summary>
    public void Fail(string token, int status, string? retryAfter = null)
    {
        var response = Problem(status, "Refused", "No.");
        if (retryAfter is not null)
        {
            response = response.WithHeader("Retry-After", retryAfter);
        }

        Server.Given(Request.Create().UsingGet().WithHeader("Authorization", "Bearer " + token)).AtPriority(1).RespondWith(response);
    }

    public int RequestCount => Server.LogEntries.Count;

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
    }

    private static IResponseBuilder JsonBody(int status, object body) => Response.Create().WithStatusCode(status)
        .WithHeader("Content-Type", "application/json; charset=utf-8").WithHeader("Cache-Control", "no-store")
        .WithBody(JsonSerializer.Serialize(body, Json));

    private static IResponseBuilder Problem(int status, string title, string detail) => Response.Create().WithStatusCode(status)
        .WithHeader("Content-Type", "application/problem+json").WithHeader("Cache-Control", "no-store")
        .WithBody(JsonSerializer.Serialize(new { type = "about:blank", title, status, detail }, Json));
}
