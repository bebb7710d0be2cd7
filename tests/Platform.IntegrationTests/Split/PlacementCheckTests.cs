using System.Runtime.Loader;
using Platform.Modules.Catalog.Contracts;
using Platform.Shared.Hosting;
using Platform.Shared.Modules;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issue 15: the start-up check accepts a module hosted elsewhere when it can be reached, and otherwise refuses,
/// naming the setting to change: for subscriptions, for published events, and for contract queries.
/// </summary>
public sealed class PlacementCheckTests
{
    public static TheoryData<string, string[], string> Unreachable => new()
    {
        // Ordering and Inventory ask Catalog for product snapshots; nothing says where Catalog is.
        { "a contract query's owner", ["Modules:Catalog:Enabled=false", "Messaging:Transport=RabbitMQ"], "Modules:Catalog:Url" },
        // Notifications lives in another process, which in-process events never reach.
        { "a subscriber in another process", ["Modules:Notifications:Enabled=false", "Modules:Notifications:Url=http://localhost:5999/"], "Identity publishes 'identity.user-registered' to Notifications, which lives in another process (Modules:Notifications:Url): events reach other processes only over a broker, so set Messaging:Transport=RabbitMQ" },
        // Inventory subscribes to Catalog's events, published by another process.
        { "a publisher in another process", ["Modules:Catalog:Enabled=false", "Modules:Catalog:Url=http://localhost:5999/"], "Inventory subscribes to 'catalog.product-created', published by Catalog, which is not hosted here: set Modules:Catalog:Enabled=true, or carry events between processes with Messaging:Transport=RabbitMQ" },
    };

    [Theory]
    [MemberData(nameof(Unreachable))]
    public void A_process_refuses_to_start_when_a_module_it_depends_on_cannot_be_reached(string what, string[] settings, string expected)
    {
        using var factory = With(new PlatformFactory(), settings);

        var start = () => factory.CreateClient();

        start.Should().Throw<Exception>(what).Which.ToString().Should().Contain(expected);
    }

    public static TheoryData<string, string[]> Reachable => new()
    {
        { "a contract query's owner with an address", ["Modules:Catalog:Enabled=false", "Modules:Catalog:Url=http://localhost:5999/"] },
        { "a subscriber in another process", ["Modules:Notifications:Enabled=false", "Modules:Notifications:Url=http://localhost:5999/"] },
    };

    [Theory]
    [MemberData(nameof(Reachable))]
    public async Task A_process_starts_when_every_module_hosted_elsewhere_is_reachable_by_broker_or_address(string what, string[] settings)
    {
        using var factory = With(PlatformFactory.Over(TestBroker.RabbitMQ), settings);

        var live = await factory.CreateClient().GetAsync("/health/live");

        live.IsSuccessStatusCode.Should().BeTrue(what);
    }

    [Fact]
    public void A_module_merely_not_hosted_is_no_reason_to_refuse_in_process_its_deliveries_wait_for_a_host_on_the_same_data()
    {
        using var factory = new PlatformFactory().With("Modules:Notifications:Enabled", "false");

        var start = () => factory.CreateClient();

        start.Should().NotThrow();
    }

    [Fact]
    public void Contract_queries_in_use_are_found_in_the_calling_assembly()
    {
        PlacementCheck.ContractQueriesUsedBy(typeof(Platform.Modules.Ordering.OrderingModule).Assembly).Should().Contain(typeof(GetProductSnapshots));
        PlacementCheck.ContractQueriesUsedBy(typeof(Platform.Modules.Identity.IdentityModule).Assembly).Should().BeEmpty();
    }

    [Fact]
    public void Contract_queries_in_use_are_found_in_an_assembly_that_has_no_file_as_in_a_single_file_publish()
    {
        var context = new AssemblyLoadContext("single-file", isCollectible: true);
        try
        {
            using var image = File.OpenRead(typeof(Platform.Modules.Ordering.OrderingModule).Assembly.Location);
            var loaded = context.LoadFromStream(image);
            loaded.Location.Should().BeEmpty("an assembly inside a single-file bundle has no location either");

            PlacementCheck.ContractQueriesUsedBy(loaded).Should().Contain(typeof(GetProductSnapshots));
        }
        finally
        {
            context.Unload();
        }
    }

    private static PlatformFactory With(PlatformFactory factory, string[] settings)
    {
        foreach (var setting in settings)
        {
            var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            if (key == "Messaging:Transport")
            {
                factory.WithTransport(value);
            }
            else
            {
                factory.With(key, value);
            }
        }

        return factory;
    }
}
