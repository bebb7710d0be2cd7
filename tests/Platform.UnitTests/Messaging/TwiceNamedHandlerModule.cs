using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;

namespace Platform.UnitTests.TwiceNamedHandlers;

// A module whose handlers break a naming rule; alone in its namespace, so no other catalog sees them.
internal sealed class TwiceModule : IModule
{
    public string Name => "Twice";

    public ModuleDatabase? Database => null;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}

[IntegrationEventHandler("tests.same")]
internal sealed class First : IIntegrationEventHandler<Platform.UnitTests.Messaging.MessagingRulesTests.Named>
{
    public Task HandleAsync(Platform.UnitTests.Messaging.MessagingRulesTests.Named integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}

[IntegrationEventHandler("tests.same")]
internal sealed class Second : IIntegrationEventHandler<Platform.UnitTests.Messaging.MessagingRulesTests.Named>
{
    public Task HandleAsync(Platform.UnitTests.Messaging.MessagingRulesTests.Named integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
