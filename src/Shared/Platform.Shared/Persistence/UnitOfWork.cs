namespace Platform.Shared.Persistence;

/// <summary>
/// Which module's transaction the current DI scope works in: set by the command pipeline and by event
/// handling, so code that must join that transaction (publishing an event) can check it is in the right
/// one, and code that must wait for its commit (forgetting a cached value) can say so.
/// </summary>
public sealed class UnitOfWork
{
    private readonly List<Action> _afterCommit = [];

    public string? Module { get; private set; }

    public IDisposable Enter(string module)
    {
        var previous = Module;
        Module = module;
        return new Exit(this, previous);
    }

    /// <summary>Runs <paramref name="action"/> once the current unit of work has committed (at once when there is none); never after a rollback.</summary>
    public void AfterCommit(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Module is null)
        {
            action();
            return;
        }

        _afterCommit.Add(action);
    }

    /// <summary>Called by whoever committed the unit of work.</summary>
    public void Committed()
    {
        var actions = _afterCommit.ToList();
        _afterCommit.Clear();
        actions.ForEach(action => action());
    }

    /// <summary>Called when the unit of work did not commit: nothing waiting for its commit runs.</summary>
    public void Abandoned() => _afterCommit.Clear();

    private sealed class Exit(UnitOfWork unitOfWork, string? previous) : IDisposable
    {
        public void Dispose() => unitOfWork.Module = previous;
    }
}
