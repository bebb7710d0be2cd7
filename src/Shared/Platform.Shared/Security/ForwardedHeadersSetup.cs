using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Shared.Security;

/// <summary>
/// Behind a gateway or load balancer every request arrives from the proxy's address, so per-client
/// rate limits would be shared by everyone. The client address and scheme are taken from
/// X-Forwarded-For/-Proto, but only from loopback and the proxies listed in <c>Api:TrustedProxies</c>:
/// anyone else could claim any address and dodge the limits.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string TrustedProxiesKey = "Api:TrustedProxies";

    public static IServiceCollection AddPlatformForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var trusted = (configuration.GetSection(TrustedProxiesKey).Get<string[]>() ?? []).Select(ParseNetwork).ToList();
        return services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Walk back through every trusted hop (load balancer → gateway → host); the walk stops
            // at the first address that is not a trusted proxy, so no limit is needed.
            options.ForwardLimit = null;
            trusted.ForEach(options.KnownIPNetworks.Add);
        });
    }

    private static System.Net.IPNetwork ParseNetwork(string value)
    {
        if (System.Net.IPNetwork.TryParse(value, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            return new System.Net.IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new InvalidOperationException(
            $"{TrustedProxiesKey} holds '{value}', which is neither an IP address (10.0.0.4) nor a network (10.0.0.0/8).");
    }
}
