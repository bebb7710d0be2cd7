using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Shared.Persistence;

internal static class ServiceProviderExtensions
{
    /// <summary>The module DbContext registered under <paramref name="contextType"/> (the type the module's handlers use).</summary>
    public static DbContext GetDbContext(this IServiceProvider services, Type contextType) =>
        (DbContext)services.GetRequiredService(contextType);
}
