namespace Platform.Shared.Mediation;

/// <summary>
/// What a command does before its module's write turn and transaction open: reads of other modules, which
/// are an HTTP round trip when their owner lives in another process. Inside the transaction such a read
/// would hold the module's one SQLite writer for the whole round trip, so every other command and event
/// handler of the module would queue behind it (decision 0013). It runs after validation, in the request's
/// scope; the handler takes the preparation (registered scoped, as itself too) and reads what it found.
/// </summary>
/// <remarks>
/// Only reads belong here: nothing it does is part of the command's transaction. A command sent inside
/// another's transaction (from an event handler) prepares inside that turn, as there is no other.
/// </remarks>
/// <typeparam name="TCommand">An <see cref="ICommand"/>: a query has no write turn to keep free, and its preparations never run.</typeparam>
public interface ICommandPreparation<in TCommand>
{
    Task PrepareAsync(TCommand command, CancellationToken cancellationToken);
}
