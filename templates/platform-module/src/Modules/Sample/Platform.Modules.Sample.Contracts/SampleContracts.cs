namespace Platform.Modules.Sample.Contracts;

/// <summary>
/// What other modules may know of Sample: its integration events (records implementing
/// <c>IIntegrationEvent</c>) and contract queries (<c>IContractQuery&lt;T&gt;</c>) go in this project, so
/// no module ever references Sample itself. See docs/messaging.md.
/// </summary>
public static class SampleContracts
{
    public const string ModuleName = "Sample";
}
