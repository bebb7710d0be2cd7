using FluentAssertions.Execution;
using NetArchTest.Rules;

namespace Platform.ArchitectureTests;

public sealed class ModuleIsolationTests
{
    private static IEnumerable<(ModuleUnderTest Module, ModuleUnderTest Other)> ModulePairs =>
        from a in ModuleAssemblies.All
        from b in ModuleAssemblies.All
        where a.Name != b.Name
        select (a, b);

    [Fact]
    public void A_module_does_not_reference_another_modules_assembly()
    {
        using var scope = new AssertionScope();
        foreach (var (module, other) in ModulePairs)
        {
            module.Main.GetReferencedAssemblies().Select(a => a.Name)
                .Should().NotContain(other.Main.GetName().Name, $"{module.Name} may use {other.Name} only through its Contracts");
        }
    }

    [Fact]
    public void A_module_uses_no_type_of_another_module_except_its_contracts()
    {
        using var scope = new AssertionScope();
        foreach (var (module, other) in ModulePairs)
        {
            var result = Types.InAssembly(module.Main).ShouldNot().HaveDependencyOnAny(TypeNames(other.Main)).GetResult();
            result.FailingTypeNames.Should().BeNullOrEmpty($"{module.Name} must not reach into {other.Name}'s internals");
        }
    }

    [Fact]
    public void Shared_code_references_no_module()
    {
        var moduleTypes = ModuleAssemblies.All.SelectMany(m => TypeNames(m.Main).Concat(TypeNames(m.Contracts))).ToArray();

        using var scope = new AssertionScope();
        foreach (var shared in new[] { ModuleAssemblies.Shared, ModuleAssemblies.SharedAbstractions, ModuleAssemblies.SharedRabbitMq })
        {
            shared.GetReferencedAssemblies().Select(a => a.Name)
                .Should().NotContain(name => name!.StartsWith("Platform.Modules.", StringComparison.Ordinal));

            var result = Types.InAssembly(shared).ShouldNot().HaveDependencyOnAny(moduleTypes).GetResult();
            result.FailingTypeNames.Should().BeNullOrEmpty("src/Shared holds no business logic and knows no module");
        }
    }

    // Whole type names, not namespaces: a module's namespace is a prefix of its Contracts' namespace.
    // Compiler-generated helpers (<>z__ReadOnlyArray and the like) share names across assemblies; skip them.
    private static string[] TypeNames(System.Reflection.Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => !t.FullName!.Contains('<', StringComparison.Ordinal))
            .Select(t => t.FullName!.Replace('+', '/'))
            .ToArray();
}
