using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Modules;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

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
        return modules.Remote.Count == 0 ? services : AddForwarding(services, modules);
    }

    // Apart, so a process that hosts every module never loads YARP: a method's precompiled code loads every type
    // it names when it first runs, whichever branch it takes.
    private static IServiceCollection AddForwarding(IServiceCollection services, ModuleRegistry modules)
    {
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
            // A process that accepts connections but does not answer (frozen, overloaded) gets a 504 problem after
            // 30 s of silence, not YARP's default 100 s.
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
        }).ToList();

        // Marks what it forwards, so a process that receives a forwarded request for a module it does not host
        // either (two processes that each think the other hosts it) refuses instead of forwarding it round.
        services.AddReverseProxy().LoadFromMemory(routes, clusters)
            .AddTransforms(context => context.AddRequestHeader(ForwardedMarker, "1", append: false));
        services.AddSingleton<IForwarderHttpClientFactory, GatewayHttpClientFactory>();
        return services;
    }

    /// <summary>Set on every request a gateway forwards.</summary>
    public const string ForwardedMarker = "Platform-Forwarded";

    public static WebApplication MapPlatformGateway(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ModuleRegistry>().Remote.Count > 0)
        {
            MapForwarding(app);
        }

        return app;
    }

    private static void MapForwarding(WebApplication app) =>
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(RefuseSecondHopAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

    private static async Task RefuseSecondHopAsync(HttpContext context, Func<Task> next)
    {
        if (!context.Request.Headers.ContainsKey(ForwardedMarker))
        {
            await next();
            return;
        }

        context.Response.StatusCode = StatusCodes.Status508LoopDetected;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status508LoopDetected,
                Title = "The module's address leads back to a gateway.",
                Detail = "This request was forwarded here for a module this process does not host either: check Modules:<Name>:Enabled and :Url.",
            },
        });
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
