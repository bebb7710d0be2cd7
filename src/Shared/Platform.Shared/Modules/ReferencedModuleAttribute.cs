namespace Platform.Shared.Modules;

/// <summary>
/// A module assembly the host references, recorded at build (Directory.Build.targets) for module discovery
/// where the dependency manifest cannot be read: a single-file publish.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ReferencedModuleAttribute(string assemblyName) : Attribute
{
    public string AssemblyName { get; } = assemblyName;
}
