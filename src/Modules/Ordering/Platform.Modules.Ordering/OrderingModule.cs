using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Ordering.Features.Orders;
using Platform.Modules.Ordering.Features.Saga;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Modules.Ordering;

/// <summary>Orders, their lines and status history; owner of the order saga and its clock.</summary>
public sealed class OrderingModule : IModule
{
    public string Name => "Ordering";

    public ModuleDatabase Database { get; } =
        ModuleDatabase.For<OrderingDbContext, SqliteOrderingDbContext, SqlServerOrderingDbContext>();

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrderingOptions>().Bind(configuration.GetSection(OrderingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<TimeOutOverdueOrders>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        PlaceOrder.Map(endpoints);
        GetOrder.Map(endpoints);
        ListOrders.Map(endpoints);
        CancelOrder.Map(endpoints);
    }
}
