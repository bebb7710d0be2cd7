namespace Platform.Shared.Abstractions;

/// <summary>
/// Something that happened in a module, published for other modules. Declared as a record in the
/// publisher's Contracts project, with a stable wire name given by <see cref="IntegrationEventAttribute"/>.
/// </summary>
#pragma warning disable CA1040 // A marker interface is the point: contracts carry no behaviour.
public interface IIntegrationEvent;
#pragma warning restore CA1040

/// <summary>
/// The event's name on the wire, e.g. <c>identity.user-registered</c>. Stored messages and other
/// services refer to this name, never to a CLR type name, so namespaces can be renamed freely.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IntegrationEventAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
