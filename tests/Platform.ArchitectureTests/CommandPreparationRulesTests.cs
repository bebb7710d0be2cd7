using Platform.Shared.Mediation;

namespace Platform.ArchitectureTests;

/// <summary>Decision 0013: a preparation runs before a command's write turn; a query has none, so one written for it would never run.</summary>
public sealed class CommandPreparationRulesTests
{
    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Preparations_prepare_commands(string name)
    {
        var prepared = ModuleAssemblies.Named(name).Main.GetTypes()
            .SelectMany(type => type.Closing(typeof(ICommandPreparation<>)).Select(i => (Preparation: type, Request: i.GetGenericArguments()[0])));

        prepared.Where(p => !typeof(ICommand).IsAssignableFrom(p.Request))
            .Select(p => $"{p.Preparation.FullName} prepares {p.Request.Name}, which is not an ICommand")
            .Should().BeEmpty("only commands run their preparations (UnitOfWorkBehavior)");
    }
}
