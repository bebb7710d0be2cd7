using Platform.Modules.Catalog.Contracts;
using Platform.Shared.Messaging;

namespace Platform.IntegrationTests.Catalog;

public sealed class ContractQueryUsageTests
{
    [Fact]
    public void Contract_queries_in_use_are_found_in_the_calling_assembly()
    {
        // This test assembly asks Catalog for snapshots (see ProductSnapshotQueryTests).
        OwnershipCheck.ContractQueriesUsedBy(typeof(ProductSnapshotQueryTests).Assembly).Should().Contain(typeof(GetProductSnapshots));
        OwnershipCheck.ContractQueriesUsedBy(typeof(Platform.Modules.Identity.IdentityModule).Assembly).Should().BeEmpty();
    }
}
