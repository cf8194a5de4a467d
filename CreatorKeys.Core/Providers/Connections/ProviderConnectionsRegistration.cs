using System.Net;
using CreatorKeys.Core.Providers.Anthropic;
using CreatorKeys.Core.Providers.ElevenLabs;
using CreatorKeys.Core.Providers.GoogleGemini;
using CreatorKeys.Core.Providers.Groq;
using CreatorKeys.Core.Providers.Mistral;
using CreatorKeys.Core.Providers.OpenAi;
using CreatorKeys.Core.Providers.OpenRouter;
using CreatorKeys.Core.Providers.Replicate;
using CreatorKeys.Core.Providers.Stability;
using CreatorKeys.Core.Providers.Together;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>Registers the provider connections: the options, each provider's check and the resilient HttpClient.</summary>
public static class ProviderConnectionsRegistration
{
    public static IServiceCollection AddProviderConnections(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProviderConnectionOptions>()
            .BindConfiguration(ProviderConnectionOptions.Section)
            .Configure(options =>
            {
                foreach (var provider in configuration.GetSection(ProviderConnectionOptions.Section).GetChildren())
                {
                    if (provider["BaseAddress"] is { Length: > 0 } address)
                    {
                        options.BaseAddresses[provider.Key] = address;
                    }
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProviderConnectionOptions>, ProviderConnectionOptionsValidator>();

        // One folder per provider: adding a provider is its folder plus one line here.
        services.AddSingleton<ProviderKeyCheck, OpenAiKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, AnthropicKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, OpenRouterKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, ElevenLabsKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, ReplicateKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, GeminiKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, StabilityKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, GroqKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, MistralKeyCheck>();
        services.AddSingleton<ProviderKeyCheck, TogetherKeyCheck>();
        services.AddSingleton<KeyCheckService>();

        // Spend readings, one per provider that reports a key's use; OpenAI's is per project, with the admin key.
        services.AddSingleton<IProviderSpendReading, OpenRouterSpendReading>();
        services.AddSingleton<IProviderSpendReading, ElevenLabsSpendReading>();
        services.AddSingleton<IProviderProjectSpendReading, OpenAiSpendReading>();
        services.AddSingleton<SpendService>();

        // Key management through the providers' own APIs (decision 018): one class per provider that has one.
        services.AddSingleton<ProviderApi>();
        services.AddSingleton<IProviderKeyRotation, OpenRouterKeyRotation>();
        services.AddSingleton<IProviderKeyRotation, OpenAiKeyRotation>();
        services.AddSingleton<IProviderKeyRotation, AnthropicKeyRotation>();
        services.AddSingleton<IProviderKeyRotation, ElevenLabsKeyRotation>();

        services.AddHttpClient(KeyCheckService.HttpClientName, client =>
            {
                // The resilience pipeline owns the timeouts; HttpClient's own 100 s would only hide them.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("CreatorKeys/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A provider never needs to send us elsewhere; a redirect would take the key's header along.
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddResilienceHandler("provider-calls", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<ProviderConnectionOptions>>().Value;
                var attempt = TimeSpan.FromSeconds(settings.TimeoutSeconds);

                // Network waits are real waits whatever clock the app runs on (the tests' clocks stand still).
                pipeline.TimeProvider = TimeProvider.System;

                // Outermost: the whole call, retry included, never takes more than about two and a half attempts.
                pipeline.AddTimeout(new TimeoutStrategyOptions { Timeout = (attempt * 2) + TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds) + TimeSpan.FromSeconds(1) });

                // One retry, only where a second try can help: a server error or no answer in time. A 429 is the
                // provider asking us to wait; the creator is told how long instead of being kept waiting.
                var retry = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds),
                    MaxDelay = attempt,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                    {
                        { Exception: HttpRequestException or TimeoutRejectedException } => true,
                        { Result: { } response } => (int)response.StatusCode >= 500,
                        _ => false,
                    }),
                };

                // A create is never sent twice: a retry after a lost answer could make a second key at the provider
                // that CreatorKeys never sees. Key management POSTs are not retried; the creator is told instead.
                retry.DisableFor(HttpMethod.Post);
                pipeline.AddRetry(retry);

                pipeline.AddTimeout(new TimeoutStrategyOptions { Timeout = attempt });
            });

        return services;
    }

    private sealed class ProviderConnectionOptionsValidator : IValidateOptions<ProviderConnectionOptions>
    {
        private readonly HashSet<string> _known;

        public ProviderConnectionOptionsValidator(IEnumerable<ProviderKeyCheck> checks) =>
            _known = new HashSet<string>(ProviderCatalog.Shipped.Providers.Select(p => p.Id).Concat(checks.Select(c => c.ProviderId)), StringComparer.OrdinalIgnoreCase);

        public ValidateOptionsResult Validate(string? name, ProviderConnectionOptions options)
        {
            var failures = new List<string>();
            foreach (var (id, address) in options.BaseAddresses)
            {
                if (!_known.Contains(id))
                {
                    failures.Add($"{ProviderConnectionOptions.Section}:{id}:BaseAddress names no provider CreatorKeys knows (known ids: {string.Join(", ", _known.Order(StringComparer.Ordinal))}).");
                }
                else if (ProviderConnectionOptions.Refuse(id, address) is { } reason)
                {
                    failures.Add(reason);
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
