using System.Reflection;
using Platform.Shared.Modules;

namespace Platform.ArchitectureTests;

/// <summary>
/// Every module, found the way the host finds them (from references), then checked against the
/// module folders on disk, so a module the host forgot is not silently left out of every rule.
/// </summary>
internal static class ModuleAssemblies
{
    public static IReadOnlyList<ModuleUnderTest> All { get; } = Discover();

    public static Assembly Shared { get; } = typeof(IModule).Assembly;

    public static Assembly SharedAbstractions { get; } = typeof(Platform.Shared.Abstractions.IContractQuery<>).Assembly;

    /// <summary>The RabbitMQ transport, in a project of its own.</summary>
    public static Assembly SharedRabbitMq { get; } = typeof(Platform.Shared.RabbitMQ.RabbitMqOptions).Assembly;

    public static IEnumerable<object[]> Names => All.Select(m => new object[] { m.Name });

    public static ModuleUnderTest Named(string name) => All.Single(m => m.Name == name);

    /// <summary>The interfaces <paramref name="type"/> implements that close <paramref name="openGeneric"/> (IContractQuery&lt;&gt;, say).</summary>
    public static IEnumerable<Type> Closing(this Type type, Type openGeneric) =>
        type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == openGeneric);

    /// <summary>Whether any constructor of <paramref name="type"/>, public or not, takes a <paramref name="dependency"/>.</summary>
    public static bool Takes(this Type type, Type dependency) =>
        type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .SelectMany(c => c.GetParameters()).Any(p => p.ParameterType == dependency);

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the test folder.");
        }
    }

    private static List<ModuleUnderTest> Discover() =>
        ModuleDiscovery.DiscoverReferencedModules()
            .Select(module =>
            {
                var main = module.GetType().Assembly;
                var contracts = Assembly.Load(new AssemblyName(main.GetName().Name + ".Contracts"));
                return new ModuleUnderTest(module.Name, main, contracts);
            })
            .ToList();
}

internal sealed record ModuleUnderTest(string Name, Assembly Main, Assembly Contracts)
{
    public string Namespace => Main.GetName().Name!;
}
