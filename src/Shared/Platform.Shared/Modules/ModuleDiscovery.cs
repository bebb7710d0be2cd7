using System.Reflection;
using Microsoft.Extensions.DependencyModel;

namespace Platform.Shared.Modules;

/// <summary>
/// Finds the modules the running application references: from its dependency manifest (deps.json) and from the
/// list the host recorded at build (<see cref="ReferencedModuleAttribute"/>), which is all a single-file publish
/// has (its manifest cannot be read), and all a test host lacks (its entry assembly is the test runner). Either way a module whose reference was removed is not picked
/// up from a stale DLL, and no list of modules is kept by hand anywhere.
/// </summary>
public static class ModuleDiscovery
{
    private const string ModuleAssemblyPrefix = "Platform.Modules.";

    public static IReadOnlyList<IModule> DiscoverReferencedModules()
    {
        // Both, when both can be read: the manifest also holds modules the host references indirectly or as packages.
        var recorded = FromHostAttributes();
        var manifest = FromManifest();
        var names = (recorded is null ? manifest : manifest is null ? recorded : recorded.Union(manifest, StringComparer.Ordinal))
            ?? throw new InvalidOperationException("The application has neither a dependency manifest (deps.json) nor a recorded list of modules; modules cannot be discovered.");

        var modules = names
            .Where(name => name.StartsWith(ModuleAssemblyPrefix, StringComparison.Ordinal) && !name.EndsWith(".Contracts", StringComparison.Ordinal))
            .Select(name => Assembly.Load(new AssemblyName(name)))
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

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3002",
        Justification = "Null in a single-file app, which falls back to the host's recorded module list.")]
    private static IEnumerable<string>? FromManifest() => DependencyContext.Default?.RuntimeLibraries.Select(library => library.Name);

    private static IEnumerable<string>? FromHostAttributes() =>
        Assembly.GetEntryAssembly()?.GetCustomAttributes<ReferencedModuleAttribute>().Select(a => a.AssemblyName).ToList() is { Count: > 0 } recorded
            ? recorded
            : null;

    public static IEnumerable<IModule> FindModules(Assembly assembly) =>
        assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IModule).IsAssignableFrom(type))
            .Select(type => (IModule)Activator.CreateInstance(type)!);
}
