using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>One split platform (gateway + commerce host over RabbitMQ) shared by the tests that only read from it or add their own data.</summary>
public sealed class SplitFixture : IDisposable
{
    public const string Collection = "Split platform";

    public SplitPlatform Split { get; } = new();

    public void Dispose() => Split.Dispose();
}

[CollectionDefinition(SplitFixture.Collection)]
public sealed class SplitCollection : ICollectionFixture<SplitFixture>;

/// <summary>Tests that stop the broker run alone in this assembly: every other broker test would see the outage.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class BrokerOutages
{
    public const string Collection = "Broker outages";
}
