using System.Reflection;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.ContractQueries;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;

namespace Platform.Shared.Hosting;

internal static class ModuleRegistration
{
    /// <summary>Registers one module's request handlers, command preparations, validators, contract query handlers and event handlers; internal types included.</summary>
    public static IServiceCollection AddModuleHandlers(this IServiceCollection services, Assembly moduleAssembly) =>
        services.Scan(scan => scan.FromAssemblies(moduleAssembly)
            .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
                .AsImplementedInterfaces(IsGenericOf(typeof(IRequestHandler<,>))).WithTransientLifetime()
            .AddClasses(c => c.AssignableTo(typeof(ICommandPreparation<>)), publicOnly: false)
                .AsSelfWithInterfaces(IsGenericOf(typeof(ICommandPreparation<>))).WithScopedLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IValidator<>)), publicOnly: false)
                .AsImplementedInterfaces(IsGenericOf(typeof(IValidator<>))).WithSingletonLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IContractQueryHandler<,>)), publicOnly: false)
                .AsImplementedInterfaces(IsGenericOf(typeof(IContractQueryHandler<,>))).WithTransientLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IIntegrationEventHandler<>)), publicOnly: false)
                .AsSelf().WithTransientLifetime());

    private static Func<Type, bool> IsGenericOf(Type openGeneric) =>
        type => type.IsGenericType && type.GetGenericTypeDefinition() == openGeneric;
}
