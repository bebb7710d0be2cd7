using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Accounts;
using Platform.Modules.Identity.Features.Services;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Modules.Identity.Features.Users;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;
using Platform.Shared.Security;

namespace Platform.Modules.Identity;

/// <summary>Accounts, credentials, roles and tokens: who may do what, everywhere.</summary>
public sealed class IdentityModule : IModule
{
    public string Name => "Identity";

    public ModuleDatabase Database { get; } =
        ModuleDatabase.For<IdentityDbContext, SqliteIdentityDbContext, SqlServerIdentityDbContext>();

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdentityModuleOptions>().Bind(configuration.GetSection(IdentityModuleOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentityModuleOptions>, IdentityModuleOptionsValidator>();
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<IdentityModuleOptions>>((hashing, identity) =>
            hashing.IterationCount = identity.Value.PasswordHashIterations);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        // Only this process can sign user tokens: the key ring is registered here and nowhere else.
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<ITokenSigningKeys>(sp => sp.GetRequiredService<SigningKeyRing>());
        services.AddSingleton<IModuleCommand, RotateSigningKeys>();
        services.AddSingleton<IValidateOptions<JwtOptions>, SigningKeyRingCheck>();
        services.AddScoped<TokenIssuer>();
        services.AddOptions<ServiceClientsOptions>().Bind(configuration.GetSection(ServiceClientsOptions.SectionName));
        services.AddSingleton<IInternalEndpoints, IdentityInternalEndpoints>();
        services.AddSingleton<IServiceTokenIssuer, ServiceTokenMinter>();
        services.AddScoped<Sessions>();
        services.AddSingleton<AccountStateCache>();
        services.AddSingleton<IAccessTokenCheck, IdentityAccessCheck>();
        services.AddSingleton<IModuleCommand, ResetAdminPassword>();
        services.AddSingleton<AdminAccountSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminAccountSeeder>());
        services.AddHealthChecks().AddCheck<AdminAccountSeeder.HealthCheck>("identity-admin", tags: [HealthTags.Ready, "identity"]);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Register.Map(endpoints);
        Login.Map(endpoints);
        Refresh.Map(endpoints);
        Logout.Map(endpoints);
        LogoutEverywhere.Map(endpoints);
        ChangePassword.Map(endpoints);
        Me.Map(endpoints);
        ListUsers.Map(endpoints);
        GetUser.Map(endpoints);
        SetUserRoles.Map(endpoints);
        LockUser.Map(endpoints);
    }
}
