using System.Text.Json;
using FluentValidation.Results;
using Platform.Shared.Api;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.UnitTests.Shared;

public sealed class SharedHelpersTests
{
    [Theory]
    [InlineData("100%", @"100\%")]
    [InlineData("a_b", @"a\_b")]
    [InlineData(@"c:\x", @"c:\\x")]
    [InlineData("plain", "plain")]
    public void Like_patterns_escape_wildcards(string text, string expected) =>
        LikePattern.Escape(text).Should().Be(expected);

    [Fact]
    public void Field_errors_use_camel_case_json_paths()
    {
        var errors = FieldErrors.From([new ValidationFailure("Price.Amount", "bad"), new ValidationFailure("Name", "empty")]);

        errors.Keys.Should().BeEquivalentTo("price.amount", "name");
    }

    [Fact]
    public void Json_errors_name_the_field_where_reading_failed()
    {
        var exception = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Dictionary<string, int>>("""{"count":"x"}"""));

        FieldErrors.FromJson(exception).Keys.Should().Equal("count");
    }

    [Fact]
    public void Binding_failures_name_the_parameter_in_camel_case()
    {
        FieldErrors.FromBindingFailure("Failed to bind parameter \"Nullable<int> PageSize\" from \"abc\".")
            .Should().ContainKey("pageSize").WhoseValue.Should().Equal("'abc' is not a valid value.");
        FieldErrors.FromBindingFailure("Something else").Should().BeNull();
    }

    [Fact]
    public void Schema_ids_keep_the_use_case_name_and_generic_arguments()
    {
        SwaggerSetup.SchemaId(typeof(Outer.Inner)).Should().Be("SharedHelpersTests.Outer.Inner");
        SwaggerSetup.SchemaId(typeof(PagedResult<Outer.Inner>)).Should().Be("PagedResultOfSharedHelpersTests.Outer.Inner");
    }

    [Theory]
    [InlineData("Platform.Modules.Catalog.Contracts", "Catalog")]
    [InlineData("Platform.Modules.Catalog", null)]
    [InlineData("Platform.Shared", null)]
    public void The_owner_of_a_contracts_assembly_follows_from_its_name(string assembly, string? owner) =>
        ModuleNaming.OwnerOfContractsAssembly(assembly).Should().Be(owner);

    [Fact]
    public void Route_prefix_and_schema_follow_from_the_module_name()
    {
        ModuleNaming.RoutePrefix("Catalog").Should().Be("/api/catalog");
        ModuleNaming.Schema("Catalog").Should().Be("catalog");
    }

    [Theory]
    [InlineData("/api/catalog/products", "catalog")]
    [InlineData("/api/identity", "identity")]
    [InlineData("/health/live", null)]
    [InlineData("/", null)]
    public void Request_spans_are_tagged_with_the_module_in_the_path(string path, string? module) =>
        Platform.Shared.Observability.TelemetrySetup.ModuleOf(new Microsoft.AspNetCore.Http.PathString(path)).Should().Be(module);

    private static class Outer
    {
        internal sealed record Inner;
    }
}

public sealed class ClientNetworkTests
{
    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Clients_are_counted_by_ipv4_address_or_ipv6_64_network(string address, string expected) =>
        Platform.Shared.Security.ClientNetwork.Of(System.Net.IPAddress.Parse(address)).Should().Be(expected);
}
