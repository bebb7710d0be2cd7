using System.Net;
using System.Net.Http.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Sample;

public sealed class SampleItemTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private const string Items = "/api/sample/items";

    private sealed record Item(Guid Id, string Name, DateTimeOffset CreatedAt);

    [Fact]
    public async Task An_admin_creates_an_item_that_any_signed_in_caller_can_read()
    {
        var admin = await factory.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync(Items, new { name = "  First  " });

        var created = await response.ReadAsAsync<Item>(HttpStatusCode.Created);
        created.Name.Should().Be("First");
        response.Headers.Location!.ToString().Should().Be($"{Items}/{created.Id}");
        var customer = await factory.CreateCustomerClientAsync();
        (await customer.GetFromJsonAsync<Item>($"{Items}/{created.Id}")).Should().Be(created);
    }

    [Fact]
    public async Task A_missing_name_is_a_400_naming_the_field_and_nothing_is_stored()
    {
        var admin = await factory.CreateAdminClientAsync();

        var response = await admin.PostAsJsonAsync(Items, new { name = "" });

        await response.ShouldHaveFieldErrorsAsync("name");
    }

    [Fact]
    public async Task Only_an_admin_creates_and_only_a_signed_in_caller_reads()
    {
        var customer = await factory.CreateCustomerClientAsync();
        var anonymous = factory.CreateClient();

        (await customer.PostAsJsonAsync(Items, new { name = "x" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await anonymous.PostAsJsonAsync(Items, new { name = "x" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync($"{Items}/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await (await customer.GetAsync($"{Items}/{Guid.NewGuid()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
