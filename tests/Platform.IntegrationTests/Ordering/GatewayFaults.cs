using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Payments.Features.Gateway;
using Platform.Testing;

namespace Platform.IntegrationTests.Ordering;

/// <summary>The simulator, with a fault placed exactly where a test needs it.</summary>
internal abstract class GatewayFault(IPaymentGateway inner) : IPaymentGateway
{
    public virtual Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken) => inner.ChargeAsync(request, cancellationToken);

    public virtual Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken) => inner.RefundAsync(request, cancellationToken);

    public static PlatformFactory Install<TFault>(PlatformFactory factory, TFault fault)
        where TFault : GatewayFault =>
        factory.WithServices(services => services.AddSingleton<IPaymentGateway>(fault));

    public static IPaymentGateway Simulator(PlatformFactory factory) =>
        new DeferredGateway(() => ActivatorUtilities.CreateInstance<SimulatedPaymentGateway>(factory.Services));

    /// <summary>Builds the simulator from the host's services on first use (the host does not exist yet when the fault is installed).</summary>
    private sealed class DeferredGateway(Func<IPaymentGateway> create) : IPaymentGateway
    {
        private readonly Lazy<IPaymentGateway> _gateway = new(create);

        public Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken) => _gateway.Value.ChargeAsync(request, cancellationToken);

        public Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken) => _gateway.Value.RefundAsync(request, cancellationToken);
    }
}

/// <summary>
/// The gateway charges, then the first attempt of each order dies before Payments can commit: exactly the
/// state a process killed between the gateway's answer and the commit leaves behind.
/// </summary>
internal sealed class DiesAfterCharging(IPaymentGateway inner) : GatewayFault(inner)
{
    private readonly HashSet<string> _died = [];

    public override async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        var result = await base.ChargeAsync(request, cancellationToken);
        lock (_died)
        {
            if (_died.Add(request.IdempotencyKey))
            {
                throw new IOException("Connection to the payment provider lost after it charged.");
            }
        }

        return result;
    }
}

/// <summary>The charge is made at the gateway, and its answer held back until the test lets it go.</summary>
internal sealed class HoldsChargeAnswers(IPaymentGateway inner) : GatewayFault(inner)
{
    public TaskCompletionSource Charged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        var result = await base.ChargeAsync(request, cancellationToken);
        Charged.TrySetResult();
        await Release.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return result;
    }
}

/// <summary>A gateway that has lost its record of every charge (its books restored from before them, say).</summary>
internal sealed class ForgetsCharges(IPaymentGateway inner) : GatewayFault(inner)
{
    public override Task<RefundResult> RefundAsync(RefundRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new RefundResult(RefundOutcome.NothingCharged, null, null));
}
