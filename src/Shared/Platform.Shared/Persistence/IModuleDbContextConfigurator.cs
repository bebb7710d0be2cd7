using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Persistence;

/// <summary>
/// Lets other parts of the platform (messaging) add to every module's DbContext options, such as
/// interceptors or tables of their own, without persistence knowing about them.
/// </summary>
public interface IModuleDbContextConfigurator
{
    void Configure(string moduleName, DatabaseProvider provider, DbContextOptionsBuilder options);
}
