using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Modules;

/// <summary>
/// How a module stores its data: one DbContext the module codes against, and one subclass per
/// provider that carries that provider's migrations. Both live in the module, so the migrations
/// leave with it when it is extracted. The platform registers them (see Persistence).
/// </summary>
public sealed class ModuleDatabase
{
    private ModuleDatabase(Type contextType, Type sqliteContextType, Type sqlServerContextType)
    {
        ContextType = contextType;
        SqliteContextType = sqliteContextType;
        SqlServerContextType = sqlServerContextType;
    }

    /// <summary>The context type the module's handlers use.</summary>
    public Type ContextType { get; }

    public Type SqliteContextType { get; }

    public Type SqlServerContextType { get; }

    public static ModuleDatabase For<TContext, TSqliteContext, TSqlServerContext>()
        where TContext : DbContext
        where TSqliteContext : TContext
        where TSqlServerContext : TContext =>
        new(typeof(TContext), typeof(TSqliteContext), typeof(TSqlServerContext));
}
