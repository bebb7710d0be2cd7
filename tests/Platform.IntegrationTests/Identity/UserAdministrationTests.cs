using System.Net;
using System.Net.Http.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Identity;

public sealed class UserAdministrationTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task The_administrator_is_seeded_from_configuration()
    {
        var admin = await factory.CreateAdminClientAsync();

        var me = await (await admin.GetAsync("/api/identity/me")).ReadAsAsync<User>(HttpStatusCode.OK);

        me.Email.Should().Be(PlatformFactory.AdminEmail);
        me.Roles.Should().Equal("Admin");
    }

    [Fact]
    public async Task Admins_list_users_page_by_page()
    {
        var admin = await factory.CreateAdminClientAsync();
        for (var i = 0; i < 3; i++)
        {
            await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail());
        }

        var page = await (await admin.GetAsync("/api/identity/users?page=1&pageSize=2")).ReadAsAsync<UserPage>(HttpStatusCode.OK);

        page.Items.Should().HaveCount(2);
        page.TotalCount.Should().BeGreaterThanOrEqualTo(4);
        page.Items.Select(u => u.Email.ToUpperInvariant()).Should().BeInAscendingOrder(StringComparer.Ordinal);
        await (await admin.GetAsync("/api/identity/users?pageSize=500")).ShouldHaveFieldErrorsAsync("pageSize");
    }

    [Fact]
    public async Task Granting_admin_takes_effect_at_the_next_token()
    {
        var admin = await factory.CreateAdminClientAsync();
        var email = IdentityApi.NewEmail();
        var user = await (await factory.CreateClient().RegisterAsync(email)).ReadAsAsync<User>(HttpStatusCode.Created);
        var customer = await factory.CreateSignedInClientAsync(email, PlatformFactory.CustomerPassword);
        (await customer.PostAsJsonAsync(CatalogApi.Products, CatalogApi.NewProduct())).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var updated = await (await admin.PutAsJsonAsync($"/api/identity/users/{user.Id}/roles", new { roles = new[] { "admin", "Customer" } }))
            .ReadAsAsync<User>(HttpStatusCode.OK);

        updated.Roles.Should().Equal("Admin", "Customer");
        var promoted = await factory.CreateSignedInClientAsync(email, PlatformFactory.CustomerPassword);
        (await promoted.PostAsJsonAsync(CatalogApi.Products, CatalogApi.NewProduct())).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_last_administrator_cannot_lose_the_admin_role()
    {
        var admin = await factory.CreateAdminClientAsync();
        var me = await (await admin.GetAsync("/api/identity/me")).ReadAsAsync<User>(HttpStatusCode.OK);
        var others = (await (await admin.GetAsync("/api/identity/users?pageSize=100")).ReadAsAsync<UserPage>(HttpStatusCode.OK))
            .Items.Where(u => u.Id != me.Id && u.Roles.Contains("Admin"));
        foreach (var other in others)
        {
            (await admin.PutAsJsonAsync($"/api/identity/users/{other.Id}/roles", new { roles = new[] { "Customer" } })).EnsureSuccessStatusCode();
        }

        var response = await admin.PutAsJsonAsync($"/api/identity/users/{me.Id}/roles", new { roles = new[] { "Customer" } });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await (await admin.GetAsync($"/api/identity/users/{me.Id}")).ReadAsAsync<User>(HttpStatusCode.OK)).Roles.Should().Equal("Admin");
    }

    [Theory]
    [InlineData("""{"roles":[]}""", "roles")]
    [InlineData("""{"roles":["Superuser"]}""", "roles[0]")]
    [InlineData("""{}""", "roles")]
    public async Task Unknown_or_missing_roles_are_a_400(string body, string field)
    {
        var admin = await factory.CreateAdminClientAsync();
        var user = await (await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail())).ReadAsAsync<User>(HttpStatusCode.Created);

        var response = await admin.PutAsync($"/api/identity/users/{user.Id}/roles", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldHaveFieldErrorsAsync(field);
    }

    [Fact]
    public async Task Unknown_users_are_a_404()
    {
        var admin = await factory.CreateAdminClientAsync();

        await (await admin.GetAsync($"/api/identity/users/{Guid.NewGuid()}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PutAsJsonAsync($"/api/identity/users/{Guid.NewGuid()}/roles", new { roles = new[] { "Customer" } }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
