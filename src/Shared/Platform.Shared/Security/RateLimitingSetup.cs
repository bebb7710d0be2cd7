using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Shared.Security;

/// <summary>The <c>RateLimiting:Credentials</c> section.</summary>
public sealed class CredentialsRateLimitOptions
{
    public const string SectionName = "RateLimiting:Credentials";

    /// <summary>Requests per client (IPv4 address or IPv6 /64) per window to the endpoints that take credentials.</summary>
    public int PermitLimit { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

internal static class RateLimitingSetup
{
    public static IServiceCollection AddPlatformRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var credentials = configuration.GetSection(CredentialsRateLimitOptions.SectionName).Get<CredentialsRateLimitOptions>()
            ?? new CredentialsRateLimitOptions();

        return services.AddRateLimiter(options =>
        {
            RateLimitPartition<string> PerClient(HttpContext context) => RateLimitPartition.GetFixedWindowLimiter(
                ClientNetwork.Of(context.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = credentials.PermitLimit,
                    Window = credentials.Window,
                    QueueLimit = 0,
                });
            options.AddPolicy(PlatformRateLimits.Credentials, PerClient);
            // The same limit in a bucket of its own: users signing in from a process's address never starve its service tokens.
            options.AddPolicy(PlatformRateLimits.ServiceCredentials, PerClient);
            options.OnRejected = WriteProblemAsync;
        });
    }

    private static async ValueTask WriteProblemAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"Try again in {seconds} seconds.",
            },
        });
    }
}
