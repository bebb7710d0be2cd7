using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Platform.Shared.Api;
using Platform.Shared.ContractQueries;
using Platform.Shared.Gateway;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;
using Platform.Shared.Security;

namespace Platform.Shared.Hosting;

public static partial class PlatformApplicationExtensions
{
    public static WebApplication UsePlatform(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // First, so the exception log, HTTPS redirection and rate limits all see the real client.
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseMiddleware<RequestBodyLimitMiddleware>();

        if (app.Services.GetRequiredService<ApiOptions>().Swagger.Enabled ?? app.Environment.IsDevelopment())
        {
            // One document over every module: the modules other processes host are merged in (a gateway).
            app.UseMiddleware<MergedApiDocument>();
            // The server is where this document was fetched from, so it stays right behind a proxy or gateway.
            app.UseSwagger(options => options.PreSerializeFilters.Add((document, request) =>
                document.Servers = [new OpenApiServer { Url = request.PathBase.HasValue ? request.PathBase.Value! : "/" }]));
            app.UseSwaggerUI(options =>
            {
                options.SwaggerEndpoint($"/swagger/{SwaggerSetup.DocumentName}/swagger.json", "Platform API");
                options.DocumentTitle = "Platform API";
                options.EnablePersistAuthorization();
            });
        }

        app.UseBearerAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapPlatformHealth();
        // Asked without building the keys: a one-shot command (rotate-keys) may run before they can load.
        if (app.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(ITokenSigningKeys)))
        {
            app.MapSigningKeyEndpoints();
        }

        // For other processes only: service tokens for that module, never a user's; outside /api and the API's document.
        foreach (var internalEndpoints in app.Services.GetServices<IInternalEndpoints>())
        {
            var group = app.MapGroup(ServiceTokens.RoutePrefixOf(internalEndpoints.Module))
                .RequireAuthorization(ServiceTokens.PolicyOf(internalEndpoints.Module))
                .ExcludeFromDescription();
            internalEndpoints.Map(group);
        }

        // A gateway reads this process's API document here (whether or not Swagger is on for users), with a
        // service token for any module this process hosts.
        app.MapSwagger("/internal/openapi/{documentName}.json").RequireAuthorization(ServiceTokens.AnyHostedModulePolicy);

        app.MapContractQueries();
        app.MapPlatformGateway();

        foreach (var module in app.Services.GetRequiredService<ModuleRegistry>().Enabled)
        {
            var group = app.MapGroup(ModuleNaming.RoutePrefix(module.Name)).WithTags(module.Name);
            module.MapEndpoints(group);
            if (module.Database is not null)
            {
                group.MapMessagingOperations(module);
            }
        }

        return app;
    }

    /// <summary>
    /// Runs the host, or with the <c>migrate</c> argument applies every module's pending migrations
    /// and exits: the one-shot step a production deployment runs before starting the service. A module's
    /// own one-shot commands (<see cref="IModuleCommand"/>, e.g. <c>reset-admin-password</c>) run the same way.
    /// </summary>
    public static async Task RunPlatformAsync(this WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Platform");

        var command = args.Length == 0 ? null
            : app.Services.GetServices<IModuleCommand>().FirstOrDefault(c => string.Equals(c.Name, args[0], StringComparison.OrdinalIgnoreCase));

        // Refuse bad settings before touching a database or starting the server, and without
        // disposing the host: a host that throws from StartAsync disposes itself mid-start.
        if (command is not { NeedsValidSettings: false })
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }

        if (command is not null)
        {
            Environment.ExitCode = await command.RunAsync(app.Services, app.Lifetime.ApplicationStopping);
            return;
        }

        if (args.Contains("migrate", StringComparer.OrdinalIgnoreCase))
        {
            await app.Services.GetRequiredService<ModuleMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
            LogMigrationsDone(logger);
            return;
        }

        if (app.Services.GetRequiredService<DatabaseOptions>().MigrateOnStartup)
        {
            await app.Services.GetRequiredService<ModuleMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
        }

        app.Lifetime.ApplicationStarted.Register(() => AnnounceSwagger(app, logger));
        await app.RunAsync();
    }

    private static void AnnounceSwagger(WebApplication app, ILogger logger)
    {
        var modules = app.Services.GetRequiredService<ModuleRegistry>();
        LogModules(logger, string.Join(", ", modules.Enabled.Select(m => m.Name)),
            modules.Disabled.Count == 0 ? "none" : string.Join(", ", modules.Disabled));
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            LogSwagger(logger, address.TrimEnd('/') + "/swagger");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Modules hosted: {Enabled}; disabled: {Disabled}")]
    private static partial void LogModules(ILogger logger, string enabled, string disabled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Swagger UI: {Url}")]
    private static partial void LogSwagger(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations applied; exiting.")]
    private static partial void LogMigrationsDone(ILogger logger);
}
