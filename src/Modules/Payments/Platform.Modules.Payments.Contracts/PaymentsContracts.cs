using Platform.Shared.Abstractions;

namespace Platform.Modules.Payments.Contracts;

/// <summary>What other modules may know of Payments: the outcome of an order's charge, and its refund.</summary>
public static class PaymentsContracts
{
    public const string ModuleName = "Payments";
}

/// <summary>The order's total was charged (once; the gateway reference says where).</summary>
[IntegrationEvent("payments.payment-succeeded")]
public sealed record PaymentSucceeded(Guid OrderId, Guid PaymentId, decimal Amount, string Currency, string GatewayReference) : IIntegrationEvent;

/// <summary>The gateway declined the charge; nothing was taken.</summary>
[IntegrationEvent("payments.payment-failed")]
public sealed record PaymentFailed(Guid OrderId, Guid PaymentId, string Reason) : IIntegrationEvent;

/// <summary>A charge was given back because its order was cancelled.</summary>
[IntegrationEvent("payments.payment-refunded")]
public sealed record PaymentRefunded(Guid OrderId, Guid PaymentId, decimal Amount, string Currency, string GatewayReference) : IIntegrationEvent;
