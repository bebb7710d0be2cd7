using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Features.Products;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.Mediation;
using Platform.Shared.Persistence;
using Platform.Testing;

namespace Platform.IntegrationTests.Infrastructure;

/// <summary>The unit of work's two refusals: no write turn within the limit, and a preparation that tracked entities.</summary>
public sealed class UnitOfWorkTests
{
    [Fact]
    public async Task A_command_that_gets_no_write_turn_within_the_limit_is_a_503_and_stores_nothing()
    {
        using var factory = new PlatformFactory().With("Database:WriteWaitLimit", "00:00:00.500");
        var admin = await factory.CreateAdminClientAsync();
        var gate = factory.Services.GetRequiredService<SqliteWriteGate>();
        await using var scope = factory.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();

        HttpResponseMessage refused;
        var watch = Stopwatch.StartNew();
        using (await gate.EnterAsync(catalog, CancellationToken.None))
        {
            refused = await admin.PostAsJsonAsync(CatalogApi.Products, CatalogApi.NewProduct(sku: "busy-1"));
        }

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the command gave up after Database:WriteWaitLimit");
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.GetProperty("title").GetString().Should().Be("The service is busy.");
        (await admin.PostAsJsonAsync(CatalogApi.Products, CatalogApi.NewProduct(sku: "busy-1"))).StatusCode
            .Should().Be(HttpStatusCode.Created, "the refused command stored nothing, so its SKU is still free");
    }

    [Fact]
    public async Task A_preparation_that_leaves_entities_tracked_is_refused_before_the_command_runs()
    {
        using var factory = new PlatformFactory().WithServices(services =>
            services.AddScoped<ICommandPreparation<CreateProduct.Command>, TrackingPreparation>());
        var admin = await factory.CreateAdminClientAsync();
        await admin.CreateAsync(CatalogApi.NewProduct(sku: "first-1"));

        var response = await admin.PostAsJsonAsync(CatalogApi.Products, CatalogApi.NewProduct(sku: TrackingPreparation.Sku));

        await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        factory.Logs.Lines.Should().Contain(line => line.Contains("left its module's context tracking entities", StringComparison.Ordinal));
        (await factory.InScopeAsync<CatalogDbContext, int>(db => db.Products.CountAsync(p => p.Sku == TrackingPreparation.Sku)))
            .Should().Be(0, "the command never ran");
    }

    /// <summary>Breaks the rule on purpose: reads with tracking.</summary>
    private sealed class TrackingPreparation(CatalogDbContext db) : ICommandPreparation<CreateProduct.Command>
    {
        public const string Sku = "TRACKED-2";

        public async Task PrepareAsync(CreateProduct.Command command, CancellationToken cancellationToken)
        {
            if (command.Sku == Sku)
            {
                await db.Products.FirstAsync(cancellationToken);
            }
        }
    }
}
