namespace Platform.Shared.Modules;

/// <summary>The conventions that follow from a module's name, in one place.</summary>
public static class ModuleNaming
{
    public static string RoutePrefix(string moduleName) => "/api/" + Lower(moduleName);

    public static string Schema(string moduleName) => Lower(moduleName);

    public static string ConfigurationSection(string moduleName) => "Modules:" + moduleName;

    /// <summary>The module whose Contracts declare <paramref name="contractType"/>, or null for any other type.</summary>
    public static string? OwnerOfContract(Type contractType) =>
        OwnerOfContractsAssembly(contractType?.Assembly.GetName().Name);

    /// <summary>Contracts assemblies are named after the module they belong to: <c>Platform.Modules.X.Contracts</c>.</summary>
    public static string? OwnerOfContractsAssembly(string? assemblyName)
    {
        const string prefix = "Platform.Modules.";
        const string suffix = ".Contracts";
        if (assemblyName is null || !assemblyName.StartsWith(prefix, StringComparison.Ordinal) ||
            !assemblyName.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }

        return assemblyName[prefix.Length..^suffix.Length];
    }

#pragma warning disable CA1308 // Routes and schemas are lower case by convention, not for comparison.
    private static string Lower(string moduleName) => moduleName.ToLowerInvariant();
#pragma warning restore CA1308
}
