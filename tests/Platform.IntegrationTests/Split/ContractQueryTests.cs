using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Contracts;
using Platform.Shared.ContractQueries;
using Platform.Shared.Errors;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>A process that asks a contract query, and an administrator client of the process that answers it.</summary>
public interface IQueryTopology
{
    IModuleClient Asker { get; }

    Task<HttpClient> OwnerAdminAsync();
}

/// <summary>Issue 15: one definition of what a contract query answers, run where its owner is hosted in process and where it is over HTTP.</summary>
public abstract class ContractQueryTests(IQueryTopology topology)
{
    [Fact]
    public async Task A_query_is_answered_with_the_owners_current_data_and_unknown_ids_are_left_out()
    {
        using var admin = await topology.OwnerAdminAsync();
        var product = await admin.CreateAsync(CatalogApi.NewProduct(name: "Desk lamp", amount: 12.50m));
        var unknown = Guid.NewGuid();

        var answer = await topology.Asker.SendAsync(new GetProductSnapshots([product.Id, unknown]), CancellationToken.None);

        answer.Should().ContainSingle().Which.Should().Be(new ProductSnapshot(product.Id, product.Sku, "Desk lamp", 12.50m, "EUR", IsActive: true));
    }

    [Fact]
    public async Task An_owners_refusal_arrives_as_the_exception_it_threw()
    {
        var tooMany = Enumerable.Range(0, GetProductSnapshots.MaxProducts + 1).Select(_ => Guid.NewGuid()).ToList();

        var ask = () => topology.Asker.SendAsync(new GetProductSnapshots(tooMany), CancellationToken.None);

        (await ask.Should().ThrowAsync<BusinessRuleException>()).Which.Message.Should().Be($"At most {GetProductSnapshots.MaxProducts} products can be looked up at once.");
    }

    [Fact]
    public async Task An_empty_question_gets_an_empty_answer()
    {
        (await topology.Asker.SendAsync(new GetProductSnapshots([]), CancellationToken.None)).Should().BeEmpty();
    }
}

public sealed class InProcessQueryTopology : IQueryTopology, IDisposable
{
    private readonly PlatformFactory _factory = new();

    public IModuleClient Asker => _factory.Services.GetRequiredService<IModuleClient>();

    public Task<HttpClient> OwnerAdminAsync() => _factory.CreateAdminClientAsync();

    public void Dispose() => _factory.Dispose();
}

/// <summary>Ordering's process asks Catalog, hosted by the gateway's process.</summary>
public sealed class SplitQueryTopology(SplitFixture fixture) : IQueryTopology
{
    public IModuleClient Asker => fixture.Split.Commerce.Services.GetRequiredService<IModuleClient>();

    public Task<HttpClient> OwnerAdminAsync() => fixture.Split.AdminAsync();
}

public sealed class InProcessContractQueryTests(InProcessQueryTopology topology) : ContractQueryTests(topology), IClassFixture<InProcessQueryTopology>;

[Collection(SplitFixture.Collection)]
public sealed class RemoteContractQueryTests(SplitFixture fixture) : ContractQueryTests(new SplitQueryTopology(fixture));
