using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Notifications.Features.Inbox;
using Platform.Modules.Notifications.Features.Sending;
using Platform.Modules.Notifications.Persistence;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Modules.Notifications;

/// <summary>Tells users what happened: a welcome on sign-up, and the outcome of every order.</summary>
public sealed class NotificationsModule : IModule
{
    public string Name => "Notifications";

    public ModuleDatabase Database { get; } =
        ModuleDatabase.For<NotificationsDbContext, SqliteNotificationsDbContext, SqlServerNotificationsDbContext>();

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<INotificationSender, LoggingNotificationSender>();
        services.AddScoped<Notifier>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => ListMyNotifications.Map(endpoints);
}
