using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Modules;

namespace Platform.Shared.Messaging;

internal static class MessagingRegistration
{
    public static IServiceCollection AddPlatformMessaging(
        this IServiceCollection services, IConfiguration configuration, ModuleRegistry modules, IEnumerable<IModule> allModules, ModuleSignals signals)
    {
        var options = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        if (options.MaxAttempts < 1 || options.BatchSize < 1 || options.PollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Messaging:MaxAttempts and Messaging:BatchSize must be at least 1 and Messaging:PollInterval positive.");
        }

        var catalog = new IntegrationEventCatalog(allModules, modules.Enabled);
        OwnershipCheck.Verify(modules, catalog);

        services.AddSingleton(options);
        services.AddSingleton(catalog);
        services.AddSingleton(signals);
        services.AddSingleton<MessagingTelemetry>();
        services.AddScoped<IEventPublisher, OutboxEventPublisher>();
        services.AddSingleton<IMessageTransport, InProcessTransport>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<InboxProcessor>();
        services.AddHostedService<MessagingWorker>();
        return services;
    }
}
