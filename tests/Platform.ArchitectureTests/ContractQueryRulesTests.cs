using System.Reflection;
using Platform.Shared.Abstractions;
using Platform.Shared.ContractQueries;
using Platform.Shared.Security;

namespace Platform.ArchitectureTests;

/// <summary>
/// Contract queries are answered the same in process and over HTTP (docs/decisions/0012): the handler answers
/// the calling module, never a user, and every query has a wire name another process can ask for.
/// </summary>
public sealed class ContractQueryRulesTests
{
    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Contract_query_handlers_do_not_depend_on_the_current_user(string name)
    {
        var handlers = ModuleAssemblies.Named(name).Main.GetTypes()
            .Where(type => type.Closing(typeof(IContractQueryHandler<,>)).Any());

        handlers.Where(handler => handler.Takes(typeof(ICurrentUser)))
            .Select(handler => handler.FullName)
            .Should().BeEmpty("over HTTP the caller is another module's process, not a user: a query that concerns a user names that user in its fields");
    }

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Every_contract_query_has_a_wire_name_prefixed_by_its_module(string name)
    {
        var queries = ModuleAssemblies.Named(name).Contracts.GetTypes()
            .Where(type => type.Closing(typeof(IContractQuery<>)).Any());

        foreach (var query in queries)
        {
            var wireName = query.GetCustomAttribute<ContractQueryAttribute>();
            wireName.Should().NotBeNull($"{query.Name} needs [ContractQuery(\"{name.ToLowerInvariant()}.…\")]");
            wireName!.Name.Should().StartWith(name.ToLowerInvariant() + ".", $"{query.Name} is asked for by this name at /internal/{name.ToLowerInvariant()}/queries/{{name}}");
        }
    }
}
