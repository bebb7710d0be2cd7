using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Sample.Features.Items;
using Platform.Modules.Sample.Persistence;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Modules.Sample;

/// <summary>Sample: describe in one line what this module owns and decides.</summary>
public sealed class SampleModule : IModule
{
    public string Name => "Sample";

    public ModuleDatabase Database { get; } =
        ModuleDatabase.For<SampleDbContext, SqliteSampleDbContext, SqlServerSampleDbContext>();

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // Validators, handlers and integration event handlers are registered by convention; add the
        // module's own services here.
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        CreateSampleItem.Map(endpoints);
        GetSampleItem.Map(endpoints);
    }
}
