namespace Platform.ArchitectureTests;

/// <summary>
/// A broker is one transport among others: its client library is used by its own project only, so the
/// spine and the modules stay the same whichever transport carries the events, and a module never
/// talks to the broker behind the outbox's back.
/// </summary>
public sealed class TransportIsolationTests
{
    [Fact]
    public void Only_the_transport_project_references_the_broker_client()
    {
        var others = ModuleAssemblies.All.SelectMany(m => new[] { m.Main, m.Contracts })
            .Append(ModuleAssemblies.Shared)
            .Append(ModuleAssemblies.SharedAbstractions);

        using var scope = new FluentAssertions.Execution.AssertionScope();
        foreach (var assembly in others)
        {
            assembly.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain("RabbitMQ.Client", $"{assembly.GetName().Name} must reach the broker only through the outbox and IMessageBroker");
        }

        ModuleAssemblies.SharedRabbitMq.GetReferencedAssemblies().Select(a => a.Name).Should().Contain("RabbitMQ.Client");
    }
}
