using System.Reflection;

namespace Platform.Shared.Modules;

/// <summary>A module's public contract: the <c>Platform.Modules.X.Contracts</c> assembly beside it, when it has one.</summary>
public static class ModuleContracts
{
    public static IEnumerable<Assembly> AssembliesOf(IModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var name = module.GetType().Assembly.GetName().Name + ".Contracts";
        try
        {
            return [Assembly.Load(new AssemblyName(name))];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }
}
