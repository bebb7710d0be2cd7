using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;

namespace Platform.Shared.RabbitMQ;

public static class RabbitMqRegistration
{
    /// <summary>
    /// The RabbitMQ transport, used when <c>Messaging:Transport=RabbitMQ</c> (settings in
    /// <c>Messaging:RabbitMQ</c>); with any other transport this adds nothing.
    /// </summary>
    public static WebApplicationBuilder AddRabbitMqTransport(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var messaging = builder.Configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        if (messaging.Transport != MessageTransportKind.RabbitMQ)
        {
            return builder;
        }

        var options = builder.Configuration.GetSection(RabbitMqOptions.SectionName).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        Validate(options, messaging, builder.Environment.IsDevelopment());
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<RabbitMqTopology>();
        builder.Services.AddSingleton<RabbitMqBroker>();
        builder.Services.AddSingleton<IMessageBroker>(sp => sp.GetRequiredService<RabbitMqBroker>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "rabbitmq",
            sp => new RabbitMqHealthCheck(sp.GetRequiredService<RabbitMqBroker>(), sp.GetRequiredService<RabbitMqTopology>()),
            failureStatus: HealthStatus.Degraded,
            tags: [HealthTags.Ready]));
        return builder;
    }

    private static void Validate(RabbitMqOptions options, MessagingOptions messaging, bool development)
    {
        var problems = new List<string>();
        if (options.Uri is not { IsAbsoluteUri: true } uri || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            problems.Add("Messaging:RabbitMQ:Uri must be an amqp:// or amqps:// address.");
        }
        else if (!development && (string.IsNullOrEmpty(uri.UserInfo) || uri.UserInfo.Split(':')[0] == "guest"))
        {
            // The default guest account is for a developer's loopback broker only.
            problems.Add("Messaging:RabbitMQ:Uri must name a user of this deployment's own outside Development (amqps://user:password@host/vhost), not guest.");
        }

        if (options.Prefetch < 1 || options.Prefetch > messaging.QueueCapacity)
        {
            problems.Add("Messaging:RabbitMQ:Prefetch must be between 1 and Messaging:QueueCapacity.");
        }

        if (options.DeliveryLimit < 1)
        {
            problems.Add("Messaging:RabbitMQ:DeliveryLimit must be at least 1.");
        }

        if (options.ReconnectInterval <= TimeSpan.Zero || options.PublishTimeout <= TimeSpan.Zero)
        {
            problems.Add("Messaging:RabbitMQ:ReconnectInterval and Messaging:RabbitMQ:PublishTimeout must be positive.");
        }

        foreach (var name in new[] { options.Exchange, options.AlternateExchange, options.DeadLetterExchange, options.QueuePrefix })
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add("Messaging:RabbitMQ exchange names and QueuePrefix must not be empty.");
                break;
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }
    }
}
