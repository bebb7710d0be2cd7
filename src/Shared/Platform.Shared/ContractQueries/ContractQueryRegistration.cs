using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Platform.Shared.Modules;
using Platform.Shared.Security;

namespace Platform.Shared.ContractQueries;

internal static class ContractQueryRegistration
{
    public static IServiceCollection AddPlatformContractQueries(this IServiceCollection services, IConfiguration configuration, ModuleRegistry modules, ContractQueryCatalog queries)
    {
        var options = (configuration.GetSection(RemoteQueryOptions.SectionName).Get<RemoteQueryOptions>() ?? new RemoteQueryOptions()).Validated();
        services.AddSingleton(options);
        services.AddSingleton(queries);
        services.AddSingleton<LocalQueries>();
        services.AddSingleton<RemoteQueries>();
        services.AddSingleton<IModuleClient, ModuleClient>();
        services.AddHttpClient();

        foreach (var module in modules.Remote.Keys)
        {
            services.AddHttpClient(RemoteQueries.ClientName(module))
                .ConfigurePrimaryHttpMessageHandler(() => InternalHttp.Handler(options.AttemptTimeout))
                .ConfigureHttpClient(client =>
                {
                    client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts rule
                    client.MaxResponseContentBufferSize = 16 * 1024 * 1024;
                })
                .AddStandardResilienceHandler(resilience => Apply(options, resilience));
        }

        return services;
    }

    private static bool IsTransient(Polly.Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && outcome.Result?.StatusCode != System.Net.HttpStatusCode.NotImplemented;

    private static void Apply(RemoteQueryOptions options, HttpStandardResilienceOptions resilience)
    {
        resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = options.TotalTimeout;
        resilience.Retry.MaxRetryAttempts = options.MaxRetries;
        // 501 is "this version has no such query": asking again, or counting it against the owner's health, changes nothing.
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome));
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
        resilience.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        resilience.CircuitBreaker.BreakDuration = options.BreakDuration;
        resilience.CircuitBreaker.FailureRatio = options.FailureRatio;
        resilience.CircuitBreaker.MinimumThroughput = options.MinimumThroughput;
        // The breaker samples at least twice an attempt's timeout (the library checks it).
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, options.AttemptTimeout.TotalSeconds * 2));
    }
}
