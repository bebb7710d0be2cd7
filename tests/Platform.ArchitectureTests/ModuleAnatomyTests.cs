using NetArchTest.Rules;
using Platform.Shared.Modules;

namespace Platform.ArchitectureTests;

public sealed class ModuleAnatomyTests
{
    private static readonly string[] FrameworkAssemblies = ["System.", "Microsoft.Win32."];

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Contracts_reference_only_the_shared_abstractions_and_the_base_class_library(string name)
    {
        var contracts = ModuleAssemblies.Named(name).Contracts;

        contracts.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(a => a is not ("netstandard" or "mscorlib" or "Platform.Shared.Abstractions")
                && !FrameworkAssemblies.Any(prefix => a.StartsWith(prefix, StringComparison.Ordinal)))
            .Should().BeEmpty($"{name}'s contracts are shared with other modules and services and must stay dependency-free");

        var result = Types.InAssembly(contracts).Should()
            .OnlyHaveDependenciesOn("System", "Platform.Shared.Abstractions", contracts.GetName().Name)
            .GetResult();
        result.FailingTypeNames.Should().BeNullOrEmpty();
    }

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Contracts_types_are_public_so_other_modules_can_use_them(string name)
    {
        var result = Types.InAssembly(ModuleAssemblies.Named(name).Contracts)
            .That().AreNotNested()
            .Should().BePublic()
            .GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty();
    }

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Domain_code_uses_neither_EF_Core_nor_ASP_NET_Core(string name)
    {
        var module = ModuleAssemblies.Named(name);
        var result = Types.InAssembly(module.Main)
            .That().ResideInNamespace(module.Namespace + ".Domain")
            .ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "MediatR", "FluentValidation")
            .GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty("the domain holds business rules only");
    }

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Everything_in_a_module_but_its_entry_point_is_internal(string name)
    {
        // Covers handlers, endpoints, DbContexts, entities and migrations alike.
        var result = Types.InAssembly(ModuleAssemblies.Named(name).Main)
            .That().DoNotImplementInterface(typeof(IModule))
            .Should().NotBePublic()
            .GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty("only the IModule class is a module's public surface");
    }

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Only_generated_compiled_models_touch_the_shared_message_store_rows(string name)
    {
        // The rows are public only because EF's generated compiled models in each module assembly name them;
        // module code publishes and handles through IEventPublisher and handlers, never through the rows.
        var module = ModuleAssemblies.Named(name);
        var result = Types.InAssembly(module.Main)
            .That().DoNotResideInNamespace(module.Namespace + ".Persistence.CompiledModels")
            .ShouldNot().HaveDependencyOnAny(
                typeof(Platform.Shared.Messaging.OutboxMessage).FullName!,
                typeof(Platform.Shared.Messaging.InboxMessage).FullName!,
                "Platform.Shared.Messaging.StoredMessage")
            .GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty("outbox and inbox rows belong to the messaging spine in src/Shared");
    }

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void A_module_has_exactly_one_public_entry_point(string name)
    {
        var module = ModuleAssemblies.Named(name);

        module.Main.GetExportedTypes().Should().ContainSingle()
            .Which.Should().BeAssignableTo<IModule>();
    }
}
