using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Inventory.Features.Reservations;
using Platform.Modules.Inventory.Features.Stock;
using Platform.Modules.Inventory.Persistence;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Modules.Inventory;

/// <summary>Stock per product: what is on hand, what orders have reserved, and the reservation of an order's lines.</summary>
public sealed class InventoryModule : IModule
{
    public string Name => "Inventory";

    public ModuleDatabase Database { get; } =
        ModuleDatabase.For<InventoryDbContext, SqliteInventoryDbContext, SqlServerInventoryDbContext>();

    public void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddScoped<StockReservations>();

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        SetStock.Map(endpoints);
        GetStock.Map(endpoints);
    }
}
