using System.Reflection;
using Microsoft.Extensions.DependencyModel;

namespace Platform.Shared.Modules;

/// <summary>
/// Finds the modules the running application references, from its dependency manifest (deps.json).
/// Reading the manifest, not the bin folder, means a module whose reference was removed is not
/// picked up from a stale DLL, and no list of modules is kept by hand anywhere.
/// </summary>
public static class ModuleDiscovery
{
    private const string ModuleAssemblyPrefix = "Platform.Modules.";

    public static IReadOnlyList<IModule> DiscoverReferencedModules()
    {
        var context = DependencyContext.Default
            ?? throw new InvalidOperationException("The application has no dependency manifest (deps.json); modules cannot be discovered.");

        var modules = context.RuntimeLibraries
            .Where(library => library.Name.StartsWith(ModuleAssemblyPrefix, StringComparison.Ordinal)
                && !library.Name.EndsWith(".Contracts", StringComparison.Ordinal))
            .Select(library => Assembly.Load(new AssemblyName(library.Name)))
            .SelectMany(FindModules)
            .OrderBy(module => module.Name, StringComparer.Ordinal)
            .ToList();

        var duplicate = modules.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two modules are named '{duplicate.Key}'; module names must be unique.");
        }

        return modules;
    }

    public static IEnumerable<IModule> FindModules(Assembly assembly) =>
        assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IModule).IsAssignableFrom(type))
            .Select(type => (IModule)Activator.CreateInstance(type)!);
}
