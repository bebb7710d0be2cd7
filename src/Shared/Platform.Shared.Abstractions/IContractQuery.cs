namespace Platform.Shared.Abstractions;

/// <summary>
/// A question one module asks another through its public contract. The owning module answers it,
/// in process or over HTTP, so request and response must be plain JSON-serialisable records.
/// </summary>
/// <typeparam name="TResponse">The answer's type.</typeparam>
#pragma warning disable CA1040 // A marker interface is the point: contracts carry no behaviour.
public interface IContractQuery<TResponse>;
#pragma warning restore CA1040
