namespace Platform.Shared.Modules;

/// <summary>
/// A one-shot operator command a module offers, run as <c>dotnet Platform.Host.dll &lt;name&gt;</c> (like
/// <c>migrate</c>): the host starts its services, runs the command, and exits with its code instead of serving.
/// </summary>
public interface IModuleCommand
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>
    /// False for a command that makes a setting the start-up checks require (<c>rotate-keys</c> creates the
    /// key ring): it runs before those checks, and reads what it needs itself.
    /// </summary>
    bool NeedsValidSettings => true;
}
