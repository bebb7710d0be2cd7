using MediatR;
using Microsoft.Extensions.DependencyInjection;

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
}
