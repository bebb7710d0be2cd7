using System.Reflection;

namespace Platform.Shared.Modules;

/// <summary>The modules this process hosts, where the others are reached, and which module owns a given type.</summary>
public sealed class ModuleRegistry
{
    private readonly Dictionary<Assembly, IModule> _byAssembly;
    private readonly Dictionary<string, IModule> _byName;

    public ModuleRegistry(IEnumerable<IModule> enabledModules, IEnumerable<string> disabledModuleNames, IReadOnlyDictionary<string, Uri>? remote = null)
    {
        Enabled = enabledModules.ToList();
        Disabled = disabledModuleNames.ToList();
        _byAssembly = Enabled.ToDictionary(m => m.GetType().Assembly);
        _byName = Enabled.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);
        Remote = new Dictionary<string, Uri>(
            (remote ?? new Dictionary<string, Uri>()).Where(r => !IsEnabled(r.Key)), StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<IModule> Enabled { get; }

    /// <summary>Modules the application references but this process does not host.</summary>
    public IReadOnlyList<string> Disabled { get; }

    /// <summary>Modules hosted by another process, by the base address it is reached at (<c>Modules:&lt;Name&gt;:Url</c>).</summary>
    public IReadOnlyDictionary<string, Uri> Remote { get; }

    public bool IsEnabled(string moduleName) => _byName.ContainsKey(moduleName);

    /// <summary>Where another process hosts <paramref name="moduleName"/>, or null when no address is configured.</summary>
    public Uri? UrlOf(string moduleName) => Remote.GetValueOrDefault(moduleName);

    public IModule? Find(string moduleName) => _byName.GetValueOrDefault(moduleName);

    /// <summary>The module whose assembly declares <paramref name="type"/>, or null for shared or foreign types.</summary>
    public IModule? OwnerOf(Type type) => _byAssembly.GetValueOrDefault(type.Assembly);
}
