using NetArchTest.Rules;

namespace Platform.ArchitectureTests;

/// <summary>
/// The namespaces of src/Shared depend on each other one way only, so each can be read, tested and
/// changed without the ones above it: messaging without persistence knowing, persistence without
/// security, and so on. Hosting, at the top, composes them all.
/// </summary>
public sealed class SharedLayeringTests
{
    private const string Root = "Platform.Shared.";

    /// <summary>Each namespace and the ones it may use. Listed lowest first; nothing uses a namespace after it.</summary>
    public static readonly IReadOnlyList<(string Namespace, string[] MayUse)> Layers =
    [
        ("Errors", []),
        ("Configuration", []),
        ("Modules", []),
        ("Persistence", ["Modules", "Configuration", "Errors"]),
        ("Security", ["Configuration", "Errors", "Modules"]),
        ("ContractQueries", ["Modules", "Errors", "Security"]),
        ("Mediation", ["Modules", "Persistence", "Errors"]),
        ("Messaging", ["Modules", "Persistence", "Configuration", "Errors"]),
        ("Observability", ["Messaging"]),
        ("Api", ["Errors", "Configuration", "Modules", "Persistence", "Security", "ContractQueries", "Messaging"]),
        ("Gateway", ["Modules", "Security", "Api"]),
        ("Hosting", ["Errors", "Configuration", "Modules", "Persistence", "Security", "ContractQueries", "Mediation", "Messaging", "Observability", "Api", "Gateway"]),
    ];

    public static TheoryData<string> Namespaces => new(Layers.Select(l => l.Namespace));

    [Fact]
    public void Every_namespace_of_shared_has_a_place_in_the_layers()
    {
        var actual = ModuleAssemblies.Shared.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && ns.StartsWith(Root, StringComparison.Ordinal))
            .Select(ns => ns![Root.Length..].Split('.')[0])
            .Distinct();

        actual.Should().BeSubsetOf(Layers.Select(l => l.Namespace), "a new namespace needs a line in Layers saying what it may use");
    }

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void A_namespace_uses_only_the_namespaces_below_it_that_it_is_allowed_to(string name)
    {
        var allowed = Layers.Single(l => l.Namespace == name).MayUse.Append(name).ToHashSet();
        var forbidden = Layers.Select(l => l.Namespace).Where(ns => !allowed.Contains(ns)).Select(ns => Root + ns).ToArray();

        var result = Types.InAssembly(ModuleAssemblies.Shared)
            .That().ResideInNamespace(Root + name)
            .ShouldNot().HaveDependencyOnAny(forbidden)
            .GetResult();

        result.FailingTypeNames.Should().BeNullOrEmpty($"Platform.Shared.{name} may use only {string.Join(", ", allowed)}");
    }

    [Fact]
    public void The_layers_have_no_cycle()
    {
        var seen = new HashSet<string>();
        foreach (var (name, mayUse) in Layers)
        {
            mayUse.Where(used => !seen.Contains(used)).Should().BeEmpty($"{name} may use only namespaces listed before it");
            seen.Add(name);
        }
    }
}
