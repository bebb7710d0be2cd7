using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Testing;

/// <summary>
/// The test server has no socket, so no remote address: this makes every request arrive from
/// <paramref name="address"/>, as Kestrel would report it, ahead of the host's own pipeline.
/// </summary>
public sealed class ConnectionFrom(string address) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            return nextMiddleware(context);
        });
        next(app);
    };

    public static Action<IServiceCollection> Address(string address) =>
        services => services.AddSingleton<IStartupFilter>(new ConnectionFrom(address));
}
