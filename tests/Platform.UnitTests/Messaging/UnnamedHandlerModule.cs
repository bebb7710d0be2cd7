using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;

namespace Platform.UnitTests.UnnamedHandlers;

// A module whose handlers break a naming rule; alone in its namespace, so no other catalog sees them.
internal sealed class UnnamedModule : IModule
{
    public string Name => "Unnamed";

    public ModuleDatabase? Database => null;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}

internal sealed class NoNameHandler : IIntegrationEventHandler<Platform.UnitTests.Messaging.MessagingRulesTests.Named>
{
    public Task HandleAsync(Platform.UnitTests.Messaging.MessagingRulesTests.Named integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
