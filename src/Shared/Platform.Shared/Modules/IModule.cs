using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Shared.Modules;

/// <summary>
/// The one public entry point of a business module. The host finds implementations by scanning the
/// module assemblies it references; everything else in a module stays internal.
/// </summary>
public interface IModule
{
    /// <summary>PascalCase name. Gives the route prefix, Swagger tag, schema and configuration section.</summary>
    string Name { get; }

    /// <summary>The module's own database, or null for a module that stores nothing.</summary>
    ModuleDatabase? Database { get; }

    /// <summary>Registers the module's own services. Handlers, validators and the DbContext are registered by the platform.</summary>
    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <summary>Maps the module's endpoints on a group already prefixed with <c>/api/{name}</c> and tagged with the name.</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
