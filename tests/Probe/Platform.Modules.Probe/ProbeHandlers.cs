using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Contracts;
using Platform.Modules.Probe.Contracts;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Messaging;
using Platform.Shared.Persistence;

namespace Platform.Modules.Probe;

/// <summary>Records each ping once, after misbehaving as configured: throwing, sleeping, crashing the process (once, or while broken), or dying right after its commit.</summary>
[IntegrationEventHandler("probe.record")]
internal sealed class RecordPing(ProbeDbContext db, ProbeBehaviour behaviour, UnitOfWork unitOfWork, TimeProvider clock) : IIntegrationEventHandler<ProbePinged>
{
    public async Task HandleAsync(ProbePinged integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        ArgumentNullException.ThrowIfNull(context);
        behaviour.RecordStart(context.MessageId, "probe.record");
        if ((integrationEvent.Behaviour == "crash" && behaviour.CrashNow(context.MessageId)) || integrationEvent.Behaviour == "crash-always")
        {
            Environment.FailFast("Probe: crashing the process once, as asked.");
        }

        if (integrationEvent.Behaviour == "crash-while-broken" && behaviour.IsBroken)
        {
            Environment.FailFast("Probe: crashing, as asked, until the probe-broken file is removed.");
        }

        if (integrationEvent.Behaviour == "die-after-commit" && behaviour.CrashNow(context.MessageId))
        {
            // SIGKILL once the handler's effects are committed, before anyone is told: the delivery is never acknowledged.
            unitOfWork.AfterCommit(() => System.Diagnostics.Process.GetCurrentProcess().Kill());
        }

        if (behaviour.ShouldSleep(context.MessageId, context.Attempt))
        {
            await Task.Delay(behaviour.Settings.Sleep, cancellationToken);
        }

        if (behaviour.ShouldFail(context.MessageId, context.Attempt))
        {
            throw new InvalidOperationException($"Probe: failing attempt {context.Attempt}, as asked.");
        }

        db.Effects.Add(new ProbeEffect
        {
            MessageId = context.MessageId,
            Handler = "probe.record",
            PingId = integrationEvent.PingId,
            RecordedAt = clock.GetUtcNow(),
            Synchronous = db.Database.RunsOnSqlite()
                ? await db.Database.SqlQueryRaw<int>("SELECT synchronous AS Value FROM pragma_synchronous()").SingleAsync(cancellationToken)
                : null,
        });
    }
}

/// <summary>A second subscriber of Identity's registrations, as slow as configured.</summary>
[IntegrationEventHandler("probe.user-registered")]
internal sealed class WatchRegistrations(ProbeDbContext db, ProbeBehaviour behaviour, TimeProvider clock) : IIntegrationEventHandler<UserRegistered>
{
    public async Task HandleAsync(UserRegistered integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (behaviour.Settings.UserRegisteredDelay > TimeSpan.Zero)
        {
            await Task.Delay(behaviour.Settings.UserRegisteredDelay, cancellationToken);
        }

        db.Effects.Add(new ProbeEffect { MessageId = context.MessageId, Handler = "probe.user-registered", RecordedAt = clock.GetUtcNow() });
    }
}
