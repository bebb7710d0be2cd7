using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Payments.Features.Charges;
using Platform.Modules.Payments.Features.Gateway;
using Platform.Modules.Payments.Features.Payments;
using Platform.Modules.Payments.Persistence;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Modules.Payments;

/// <summary>Payments and refunds of orders, through a payment gateway (a deterministic simulator by default).</summary>
public sealed class PaymentsModule : IModule
{
    public string Name => "Payments";

    public ModuleDatabase Database { get; } =
        ModuleDatabase.For<PaymentsDbContext, SqlitePaymentsDbContext, SqlServerPaymentsDbContext>();

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentSimulatorOptions>().Bind(configuration.GetSection(PaymentSimulatorOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        // Replace this registration to plug in a real provider's adapter (docs/ordering.md, "The payment gateway", says what it must honour).
        services.AddSingleton<IPaymentGateway, SimulatedPaymentGateway>();
        services.AddScoped<PaymentProcess>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => ListPayments.Map(endpoints);
}
