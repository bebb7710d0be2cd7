using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Modules;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Platform.Shared.Gateway;

/// <summary>
/// Any process is a gateway for the modules it does not host: <c>/api/&lt;module&gt;/…</c> is forwarded to
/// <c>Modules:&lt;Name&gt;:Url</c> with the caller's bearer token, the trace context, and the client's address in
/// X-Forwarded-For/-Proto (which the module's process trusts from loopback and <c>Api:TrustedProxies</c>, so its
/// rate limits stay per client). <c>/internal/…</c> is never forwarded.
/// </summary>
internal static class GatewayRegistration
{
    public static IServiceCollection AddPlatformGateway(this IServiceCollection services, ModuleRegistry modules)
    {
        services.AddSingleton<RemoteApiDocuments>();
        if (modules.Remote.Count == 0)
        {
            return services;
        }

        var routes = modules.Remote.Keys.Select(module => new RouteConfig
        {
            RouteId = "module-" + ModuleNaming.Schema(module),
            ClusterId = ModuleNaming.Schema(module),
            Match = new RouteMatch { Path = ModuleNaming.RoutePrefix(module) + "/{**rest}" },
            // The module's own process authorizes, exactly as when it is called directly; the gateway adds no rule of its own.
            AuthorizationPolicy = "anonymous",
        }).ToList();
        var clusters = modules.Remote.Select(remote => new ClusterConfig
        {
            ClusterId = ModuleNaming.Schema(remote.Key),
            Destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase)
            {
                ["primary"] = new() { Address = remote.Value.AbsoluteUri },
            },
        }).ToList();

        services.AddReverseProxy().LoadFromMemory(routes, clusters);
        services.AddSingleton<IForwarderHttpClientFactory, GatewayHttpClientFactory>();
        return services;
    }

    public static WebApplication MapPlatformGateway(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ModuleRegistry>().Remote.Count > 0)
        {
            app.MapReverseProxy();
        }

        return app;
    }

    /// <summary>A module's process that is down answers 502 within a second, not after the system's connect timeout.</summary>
    private sealed class GatewayHttpClientFactory : ForwarderHttpClientFactory
    {
        protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
        {
            base.ConfigureHandler(context, handler);
            handler.ConnectTimeout = TimeSpan.FromSeconds(1);
        }
    }
}
