namespace Platform.Shared.Persistence;

/// <summary>
/// Which module's transaction the current DI scope works in: set by the command pipeline and by event
/// handling, so code that must join that transaction (publishing an event) can check it is in the right one.
/// </summary>
public sealed class UnitOfWork
{
    public string? Module { get; private set; }

    public IDisposable Enter(string module)
    {
        var previous = Module;
        Module = module;
        return new Exit(this, previous);
    }

    private sealed class Exit(UnitOfWork unitOfWork, string? previous) : IDisposable
    {
        public void Dispose() => unitOfWork.Module = previous;
    }
}
