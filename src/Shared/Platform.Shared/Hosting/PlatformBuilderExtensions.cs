using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Shared.Api;
using Platform.Shared.Configuration;
using Platform.Shared.Gateway;
using Platform.Shared.ContractQueries;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;
using Platform.Shared.Observability;
using Platform.Shared.Persistence;
using Platform.Shared.Security;

namespace Platform.Shared.Hosting;

public static class PlatformBuilderExtensions
{
    /// <summary>
    /// Registers the platform and every enabled module. Modules are discovered from the application's
    /// references; a host composed by hand may pass its own list instead.
    /// </summary>
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder, IEnumerable<IModule>? modules = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        RefuseAnyHostOutsideDevelopment(builder);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Logging.AddConsole(console => console.FormatterName = SafeConsoleFormatter.FormatterName)
            .AddConsoleFormatter<SafeConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();

        var all = (modules ?? ModuleDiscovery.DiscoverReferencedModules()).ToList();
        var enabled = all.Where(m => configuration.GetValue(ModuleNaming.ConfigurationSection(m.Name) + ":Enabled", true)).ToList();
        var disabled = all.Except(enabled).Select(m => m.Name).ToList();
        var registry = new ModuleRegistry(enabled, disabled, ModuleAddresses.Read(configuration, disabled, builder.Environment.IsDevelopment()));
        services.AddSingleton(registry);

        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var dataFolder = DataFolder.From(configuration, builder.Environment.ContentRootPath);
        services.AddSingleton(database);
        services.AddSingleton(dataFolder);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<UnitOfWork>();
        services.AddSingleton(new SqliteWriteGate(database.WriteWaitLimit));

        services.AddPlatformMediation();
        services.AddPlatformApi();
        services.AddPlatformSecurity(configuration, registry.Enabled.Select(m => m.Name).ToList(), builder.Environment.IsDevelopment());
        services.AddPlatformTelemetry(configuration);
        services.AddHealthChecks();
        // Start-up work of hosted services (seeding, messaging) runs beside the web server's own start
        // on another core, instead of one after the other (docs/decisions/0009).
        services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
        services.AddTransient<ModuleMigrator>();
        services.AddSingleton<IModuleCommand, CopyModuleSqlCommand>();
        services.AddSingleton<ModuleSchemaState>();
        var messaging = configuration.ReadMessagingOptions();
        var events = new IntegrationEventCatalog(all, enabled);
        var queries = new ContractQueryCatalog(all);
        PlacementCheck.Verify(registry, events, queries, messaging.Transport != MessageTransportKind.InProcess,
            canGetServiceTokens: registry.IsEnabled("Identity") || ServiceIdentity.From(configuration) is not null);
        services.AddPlatformContractQueries(configuration, registry, queries);
        services.AddPlatformMessaging(messaging, registry, events);
        services.AddPlatformGateway(registry);

        foreach (var module in enabled)
        {
            services.AddModuleHandlers(module.GetType().Assembly);
            if (module.Database is { } moduleDatabase)
            {
                services.AddModuleDatabase(module.Name, moduleDatabase, database, configuration, dataFolder);
            }

            module.AddServices(services, configuration);
        }

        return builder;
    }

    /// <summary>
    /// Host filtering with <c>AllowedHosts=*</c> lets any Host header through, and HTTPS redirection
    /// echoes it. Outside Development the hosts must be named, unless <c>Api:AllowAnyHost</c> says otherwise.
    /// </summary>
    private static void RefuseAnyHostOutsideDevelopment(WebApplicationBuilder builder)
    {
        var hosts = builder.Configuration["AllowedHosts"];
        if (!builder.Environment.IsDevelopment() && (string.IsNullOrWhiteSpace(hosts) || hosts.Trim() == "*")
            && !builder.Configuration.GetValue<bool>("Api:AllowAnyHost"))
        {
            throw new InvalidOperationException(
                "AllowedHosts must name this service's host names outside Development (e.g. AllowedHosts=shop.example.com;api.example.com), " +
                "or set Api:AllowAnyHost=true on purpose when a gateway in front checks the Host header.");
        }
    }

    private static IServiceCollection AddPlatformApi(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            if (context.HttpContext.Items[RemoteQueries.AnsweredBy] is string query)
            {
                context.ProblemDetails.Extensions[RemoteQueries.AnsweredBy] = query; // a contract query's own refusal
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();

        // Binding failures (malformed JSON, wrong content type, unparsable query values) throw, so
        // the exception handler answers them with a problem instead of an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        services.AddPlatformSwagger();
        return services;
    }
}
