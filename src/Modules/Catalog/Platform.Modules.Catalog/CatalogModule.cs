using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Features.Products;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Modules.Catalog;

/// <summary>Products, categories and prices.</summary>
public sealed class CatalogModule : IModule
{
    public string Name => "Catalog";

    public ModuleDatabase Database { get; } =
        ModuleDatabase.For<CatalogDbContext, SqliteCatalogDbContext, SqlServerCatalogDbContext>();

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        CreateProduct.Map(endpoints);
        GetProduct.Map(endpoints);
        ListProducts.Map(endpoints);
        UpdateProduct.Map(endpoints);
        DeactivateProduct.Map(endpoints);
    }
}
