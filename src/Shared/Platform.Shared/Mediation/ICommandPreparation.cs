namespace Platform.Shared.Mediation;

/// <summary>
/// What a command does before its module's write turn and transaction open: reads of other modules, which
/// are an HTTP round trip when their owner lives in another process. Inside the transaction such a read
/// would hold the module's one SQLite writer for the whole round trip, so every other command and event
/// handler of the module would queue behind it (decision 0013). It runs after validation, in the request's
/// scope; the handler takes the preparation (registered scoped, as itself too) and reads what it found.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Only reads belong here, and with <c>AsNoTracking</c>: nothing it does is part of the command's
/// transaction, and an entity it tracked would be handed to the handler as it was before the turn, so the
/// handler's save could overwrite a change committed meanwhile. The unit of work refuses to start if a
/// preparation left its module's context tracking more entities than before.</item>
/// <item>One instance per scope, shared by every send of the command in that scope: set every field at the
/// start of <see cref="PrepareAsync"/>.</item>
/// <item>A command sent inside another's transaction (from an event handler) prepares inside that turn, as
/// there is no other.</item>
/// </list>
/// </remarks>
/// <typeparam name="TCommand">An <see cref="ICommand"/>: a query has no write turn to keep free, and its preparations never run.</typeparam>
public interface ICommandPreparation<in TCommand>
{
    Task PrepareAsync(TCommand command, CancellationToken cancellationToken);
}
