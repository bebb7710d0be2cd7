using System.Reflection;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.ContractQueries;
using Platform.Shared.Messaging;

namespace Platform.Shared.Mediation;

internal static class MediationRegistration
{
    /// <summary>MediatR 5 has no DI package: the mediator resolves handlers through this factory, from the request scope.</summary>
    public static IServiceCollection AddPlatformMediation(this IServiceCollection services)
    {
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();

        // First registered runs outermost: log, then validate, then open the unit of work.
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(UnitOfWorkBehavior<,>));
        return services;
    }

    /// <summary>Registers one module's handlers, validators and contract query handlers; internal types included.</summary>
    public static IServiceCollection AddModuleHandlers(this IServiceCollection services, Assembly moduleAssembly) =>
        services.Scan(scan => scan.FromAssemblies(moduleAssembly)
            .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
                .AsImplementedInterfaces(IsGenericOf(typeof(IRequestHandler<,>))).WithTransientLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IValidator<>)), publicOnly: false)
                .AsImplementedInterfaces(IsGenericOf(typeof(IValidator<>))).WithTransientLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IContractQueryHandler<,>)), publicOnly: false)
                .AsImplementedInterfaces(IsGenericOf(typeof(IContractQueryHandler<,>))).WithTransientLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IIntegrationEventHandler<>)), publicOnly: false)
                .AsSelf().WithTransientLifetime());

    private static Func<Type, bool> IsGenericOf(Type openGeneric) =>
        type => type.IsGenericType && type.GetGenericTypeDefinition() == openGeneric;
}
