using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>Adds the outbox and inbox tables to every module's model, in the module's own schema.</summary>
internal sealed class MessagingModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.Customize(modelBuilder, context);
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InboxMessageConfiguration());
    }
}

/// <summary>Gives each module's DbContext the messaging tables and the interceptor that hands over committed events.</summary>
internal sealed class MessagingDbContextConfigurator(OutboxRuntime runtime) : IModuleDbContextConfigurator
{
    private readonly ConcurrentDictionary<string, OutboxCommitInterceptor> _interceptors = new(StringComparer.Ordinal);

    public void Configure(string moduleName, DatabaseProvider provider, DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ReplaceService<IModelCustomizer, MessagingModelCustomizer>();
        options.AddInterceptors(_interceptors.GetOrAdd(moduleName, name => new OutboxCommitInterceptor(name, runtime)));
    }
}
