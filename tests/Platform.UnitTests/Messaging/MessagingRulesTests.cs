using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Abstractions;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.UnitTests.Messaging;

public sealed class MessagingRulesTests
{
    [Fact]
    public void Backoff_doubles_per_attempt_with_bounded_jitter_and_a_ceiling()
    {
        var options = new MessagingOptions { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(30) };

        for (var i = 0; i < 100; i++)
        {
            RetryPolicy.Delay(1, options).Should().BeCloseTo(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));
            RetryPolicy.Delay(3, options).Should().BeCloseTo(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(800));
            RetryPolicy.Delay(20, options).Should().BeCloseTo(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(6));
        }
    }

    [Fact]
    public void Subscriptions_are_found_from_handlers_and_events_by_their_wire_names()
    {
        var module = new FakeModule();
        var catalog = new IntegrationEventCatalog([module], [module]);

        catalog.NameOf<Named>().Should().Be("tests.named");
        catalog.TypeOf("tests.named").Should().Be<Named>();
        catalog.SubscriptionsOf("Tests").Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            HandlerType = typeof(NamedHandler),
            Handler = "tests.named-handler",
            EventName = "tests.named",
        });
        catalog.DestinationsOf("tests.named").Should().Equal("Tests");
        catalog.DestinationsOf("tests.other").Should().BeEmpty();
    }

    [Fact]
    public void A_module_that_is_not_hosted_still_counts_as_a_destination_of_the_events_it_subscribes_to()
    {
        var module = new FakeModule();
        var catalog = new IntegrationEventCatalog([module], []);

        catalog.DestinationsOf("tests.named").Should().Equal("Tests");
        catalog.SubscriptionsOf("Tests").Should().BeEmpty("nothing of it runs here");
    }

    [Fact]
    public void A_handler_needs_a_stable_name_and_names_are_unique()
    {
        var unnamed = () => new IntegrationEventCatalog([new UnnamedHandlers.UnnamedModule()], []);
        var twice = () => new IntegrationEventCatalog([new TwiceNamedHandlers.TwiceModule()], []);

        unnamed.Should().Throw<InvalidOperationException>().WithMessage("*IntegrationEventHandler*");
        twice.Should().Throw<InvalidOperationException>().WithMessage("*tests.same*unique*");
    }

    [Fact]
    public void An_event_without_a_wire_name_cannot_be_named()
    {
        var catalog = new IntegrationEventCatalog([], []);

        var act = () => catalog.NameOf<Unnamed>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*IntegrationEvent*");
    }

    [Fact]
    public void Long_errors_are_cut_to_fit_the_column()
    {
        RetryPolicy.Describe(new InvalidOperationException(new string('x', 10_000))).Length.Should().Be(4000);
    }

    [IntegrationEvent("tests.named")]
    public sealed record Named(int Value) : IIntegrationEvent;

    internal sealed record Unnamed : IIntegrationEvent;

    [IntegrationEventHandler("tests.named-handler")]
    internal sealed class NamedHandler : IIntegrationEventHandler<Named>
    {
        public Task HandleAsync(Named integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class FakeModule : IModule
    {
        public string Name => "Tests";

        public ModuleDatabase? Database => null;

        public void AddServices(IServiceCollection services, IConfiguration configuration)
        {
        }

        public void MapEndpoints(IEndpointRouteBuilder endpoints)
        {
        }
    }
}

