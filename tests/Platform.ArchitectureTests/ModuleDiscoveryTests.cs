namespace Platform.ArchitectureTests;

public sealed class ModuleDiscoveryTests
{
    [Fact]
    public void Every_module_folder_is_a_module_the_host_discovers()
    {
        var folders = Directory.GetDirectories(Path.Combine(ModuleAssemblies.RepositoryRoot, "src", "Modules"))
            .Select(Path.GetFileName)
            .ToList();

        folders.Should().NotBeEmpty();
        ModuleAssemblies.All.Select(m => m.Name).Should().BeEquivalentTo(folders,
            "each folder under src/Modules must be referenced by the host and contain exactly one IModule, or the architecture rules would silently skip it");
    }

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Module_projects_follow_the_naming_that_routes_schemas_and_contracts_rely_on(string name)
    {
        var module = ModuleAssemblies.Named(name);

        module.Main.GetName().Name.Should().Be($"Platform.Modules.{name}");
        module.Contracts.GetName().Name.Should().Be($"Platform.Modules.{name}.Contracts");
    }
}
