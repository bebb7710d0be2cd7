using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

public static class MessagingRegistration
{
    public static MessagingOptions ReadMessagingOptions(this IConfiguration configuration) =>
        configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();

    /// <summary>
    /// Integration messaging for the hosted modules: outbox and inbox tables in every module's
    /// database, publishing, delivery to each subscribing module's own queue, and readiness per module.
    /// </summary>
    public static IServiceCollection AddPlatformMessaging(
        this IServiceCollection services, MessagingOptions options, ModuleRegistry modules, IntegrationEventCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        services.AddSingleton(options);
        services.AddSingleton(catalog);
        services.AddSingleton<MessagingTelemetry>();
        services.AddSingleton<InboxProcessor>();
        services.AddSingleton<IModuleDurability, WalSyncDurability>();
        services.AddSingleton<OutboxRuntime>();
        services.AddSingleton<MessagingOperations>();
        services.AddSingleton<IBrokerInbound, BrokerInbound>();
        services.AddSingleton<IModuleDbContextConfigurator, MessagingDbContextConfigurator>();
        services.AddScoped<IEventPublisher, OutboxPublisher>();
        services.AddHostedService<MessagingHost>();

        foreach (var module in modules.Enabled.Where(m => m.Database is not null))
        {
            var schema = ModuleNaming.Schema(module.Name);
            var contextType = module.Database!.ContextType;
            services.AddHealthChecks().Add(new HealthCheckRegistration(
                name: $"{schema}-messaging",
                factory: sp => new MessagingHealthCheck(sp, contextType, options, sp.GetRequiredService<TimeProvider>()),
                failureStatus: HealthStatus.Unhealthy,
                tags: [HealthTags.Ready, schema]));
        }

        return services;
    }

    private static void Validate(MessagingOptions options)
    {
        var problems = new List<string>();
        if (options.MaxAttempts < 1)
        {
            problems.Add("Messaging:MaxAttempts must be at least 1.");
        }

        if (options.BatchSize < 1 || options.QueueCapacity < 1)
        {
            problems.Add("Messaging:BatchSize and Messaging:QueueCapacity must be at least 1.");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.LeaseDuration <= TimeSpan.Zero || options.HandlerTimeout <= TimeSpan.Zero)
        {
            problems.Add("Messaging:PollInterval, Messaging:LeaseDuration and Messaging:HandlerTimeout must be positive.");
        }

        if (options.StartDelay < TimeSpan.Zero || options.StartDelay > options.LeaseDuration / 3)
        {
            // Deliveries handed over during the delay hold leases that nothing renews until the loops run.
            problems.Add("Messaging:StartDelay must be between 0 and a third of Messaging:LeaseDuration.");
        }

        if (!Enum.IsDefined(options.Transport))
        {
            problems.Add($"Messaging:Transport '{options.Transport}' is not available: use InProcess or RabbitMQ.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }
    }
}
