using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Mediation;

/// <summary>
/// Wraps a command in one transaction on its module's database and saves once at the end, so a
/// command either changes everything it meant to or nothing. Its preparations (reads of other modules)
/// run first, outside the write turn.
/// </summary>
internal sealed class UnitOfWorkBehavior<TRequest, TResponse>(ModuleRegistry modules, IServiceProvider services, UnitOfWork unitOfWork, SqliteWriteGate writers)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (request is not ICommand)
        {
            return await next();
        }

        var module = modules.OwnerOf(typeof(TRequest));
        var db = module?.Database is { } database ? services.GetDbContext(database.ContextType) : null;
        await PrepareAsync(request, db, cancellationToken);
        if (module is null || db is null)
        {
            return await next();
        }

        using var entered = unitOfWork.Enter(module.Name);
        if (db.Database.CurrentTransaction is not null)
        {
            return await next();
        }

        using var turn = await writers.EnterForCommandAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        TResponse response;
        try
        {
            response = await next();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            // Nothing of a failed command may ride along with the next use of this scope's context.
            db.ChangeTracker.Clear();
            unitOfWork.Abandoned();
            throw;
        }

        // Outside the try: what waited for the commit runs now, and cannot make a committed command look failed.
        unitOfWork.Committed();
        return response;
    }

    /// <summary>
    /// The command's preparations, before the write turn (for a command sent inside another's transaction, from an
    /// event handler, inside that turn: there is no other). One that leaves its module's context tracking more
    /// than before is refused: the handler would get those entities as they were before the turn.
    /// </summary>
    private async Task PrepareAsync(TRequest request, DbContext? db, CancellationToken cancellationToken)
    {
        var preparations = services.GetServices<ICommandPreparation<TRequest>>().ToList();
        if (preparations.Count == 0)
        {
            return;
        }

        var tracked = db?.ChangeTracker.Entries().Count() ?? 0;
        foreach (var preparation in preparations)
        {
            await preparation.PrepareAsync(request, cancellationToken);
        }

        if (db is not null && db.ChangeTracker.Entries().Count() > tracked)
        {
            throw new InvalidOperationException(
                $"A preparation of {typeof(TRequest).Name} left its module's context tracking entities: read with AsNoTracking (ICommandPreparation).");
        }
    }
}
