namespace Platform.Shared.Abstractions;

/// <summary>
/// A question one module asks another through its public contract. The owning module answers it,
/// in process or over HTTP, so request and response must be plain JSON-serialisable records, and the
/// query needs a stable wire name (<see cref="ContractQueryAttribute"/>).
/// </summary>
/// <typeparam name="TResponse">The answer's type.</typeparam>
#pragma warning disable CA1040 // A marker interface is the point: contracts carry no behaviour.
public interface IContractQuery<TResponse>;
#pragma warning restore CA1040

/// <summary>
/// The query's name on the wire, e.g. <c>catalog.product-snapshots</c>: another process asks for it by this
/// name at <c>/internal/&lt;module&gt;/queries/&lt;name&gt;</c>, never by a CLR type name.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ContractQueryAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
