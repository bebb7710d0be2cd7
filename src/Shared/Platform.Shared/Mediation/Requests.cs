using MediatR;

namespace Platform.Shared.Mediation;

/// <summary>A request that changes state: runs inside its module's unit of work.</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>, ICommand;

/// <summary>Non-generic marker, so pipeline behaviours can recognise commands.</summary>
#pragma warning disable CA1040 // Marker by design.
public interface ICommand;
#pragma warning restore CA1040

/// <summary>A request that only reads.</summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;
