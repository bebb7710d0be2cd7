using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Platform.Shared.Messaging;

namespace Platform.Shared.Observability;

/// <summary>The <c>OpenTelemetry</c> section.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>OTLP collector, e.g. http://localhost:4317. Unset: nothing is exported and no SDK listens, so tracing costs nothing.</summary>
    public Uri? OtlpEndpoint { get; set; }

    public string ServiceName { get; set; } = "platform";
}

internal static class TelemetrySetup
{
    /// <summary>
    /// Traces and metrics from ASP.NET Core, HttpClient, EF Core and the messaging pipeline, exported over OTLP.
    /// Request spans carry the module they hit, messaging spans and metrics the module that did the work.
    /// </summary>
    public static IServiceCollection AddPlatformTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.OtlpEndpoint is null)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(MessagingTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.EnrichWithHttpRequest = (activity, request) =>
                {
                    if (ModuleOf(request.Path) is { } module)
                    {
                        activity.SetTag("platform.module", module);
                    }
                })
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(MessagingTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, options.OtlpEndpoint);
        return services;
    }

    /// <summary>The module a request addresses: <c>/api/catalog/products</c> → <c>catalog</c>.</summary>
    internal static string? ModuleOf(PathString path)
    {
        var segments = path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["api", var module, ..] ? module : null;
    }
}
