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
}
