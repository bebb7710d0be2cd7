using MediatR;
using Platform.Shared.ContractQueries;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;

namespace Platform.ArchitectureTests;

/// <summary>
/// Decision 0013: a command's reads of other modules run in its preparations, before its write turn; a query has no
/// turn, so a preparation written for it would never run.
/// </summary>
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

    [Theory]
    [MemberData(nameof(ModuleAssemblies.Names), MemberType = typeof(ModuleAssemblies))]
    public void Handlers_that_run_in_a_write_turn_do_not_ask_other_modules(string name)
    {
        // A command handler and an event handler run inside their module's transaction, holding its one SQLite writer:
        // a contract query there (an HTTP round trip when the owner runs elsewhere) makes every other writer wait.
        var inTurn = ModuleAssemblies.Named(name).Main.GetTypes()
            .Where(type => type.Closing(typeof(IIntegrationEventHandler<>)).Any()
                || type.Closing(typeof(IRequestHandler<,>)).Any(i => typeof(ICommand).IsAssignableFrom(i.GetGenericArguments()[0])));

        inTurn.Where(handler => handler.Takes(typeof(IModuleClient)))
            .Select(handler => handler.FullName)
            .Should().BeEmpty("ask other modules in an ICommandPreparation, which runs before the write turn, and hand the handler its answer");
    }
}
