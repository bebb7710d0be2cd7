using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Shared.Errors;
using Platform.Shared.Modules;
using Platform.Shared.Security;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>A message parked after its last attempt, on the publishing side (dispatch) or a handler's (handle).</summary>
public sealed record DeadLetterDto(
    Guid MessageId, string Stage, string Type, string? Handler, string SourceModule,
    DateTimeOffset OccurredAt, int Attempts, string? LastError, DateTimeOffset? DeadLetteredAt);

public sealed record ReplayResult(int Replayed);

/// <summary>
/// Per module, for administrators: see what was dead-lettered and why, and send it round again once
/// the cause is fixed. Mapped under the module's own route so it travels with the module.
/// </summary>
internal static class DeadLetterEndpoints
{
    public const int MaxListed = 500;

    public static void MapDeadLetters(this IEndpointRouteBuilder endpoints, IModule module)
    {
        var group = endpoints.MapGroup("/messaging/dead-letters").RequireAuthorization(PlatformPolicies.Admin);
        var contextType = module.Database!.ContextType;

        group.MapGet("/", async Task<Ok<List<DeadLetterDto>>> (IServiceProvider services, CancellationToken cancellationToken) =>
                TypedResults.Ok(await ListAsync(services.GetDbContext(contextType), cancellationToken)))
            .WithName($"{module.Name}ListDeadLetters")
            .WithSummary($"List {module.Name}'s dead-lettered messages (Admin)")
            .WithDescription($"Newest first, at most {MaxListed}.");

        group.MapPost("/{messageId:guid}/replay", async Task<Ok<ReplayResult>> (Guid messageId, IServiceProvider services, ModuleSignals signals, TimeProvider clock, CancellationToken cancellationToken) =>
            {
                var replayed = await ReplayAsync(services.GetDbContext(contextType), messageId, clock, cancellationToken);
                if (replayed == 0)
                {
                    throw new NotFoundException("Dead letter", messageId);
                }

                Wake(signals, module.Name);
                return TypedResults.Ok(new ReplayResult(replayed));
            })
            .WithName($"{module.Name}ReplayDeadLetter")
            .WithSummary($"Replay one of {module.Name}'s dead-lettered messages (Admin)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/replay", async Task<Ok<ReplayResult>> (IServiceProvider services, ModuleSignals signals, TimeProvider clock, CancellationToken cancellationToken) =>
            {
                var replayed = await ReplayAsync(services.GetDbContext(contextType), messageId: null, clock, cancellationToken);
                Wake(signals, module.Name);
                return TypedResults.Ok(new ReplayResult(replayed));
            })
            .WithName($"{module.Name}ReplayAllDeadLetters")
            .WithSummary($"Replay all of {module.Name}'s dead-lettered messages (Admin)");
    }

    private static async Task<List<DeadLetterDto>> ListAsync(DbContext db, CancellationToken cancellationToken)
    {
        var outbox = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.DeadLetteredAt != null)
            .OrderByDescending(m => m.Sequence).Take(MaxListed)
            .Select(m => new DeadLetterDto(m.MessageId, "dispatch", m.Type, null, m.SourceModule, m.OccurredAt, m.Attempts, m.LastError, m.DeadLetteredAt))
            .ToListAsync(cancellationToken);
        var inbox = await db.Set<InboxMessage>().AsNoTracking()
            .Where(m => m.DeadLetteredAt != null)
            .OrderByDescending(m => m.DueAt).Take(MaxListed)
            .Select(m => new DeadLetterDto(m.MessageId, "handle", m.Type, m.Handler, m.SourceModule, m.OccurredAt, m.Attempts, m.LastError, m.DeadLetteredAt))
            .ToListAsync(cancellationToken);
        return outbox.Concat(inbox).OrderByDescending(d => d.DeadLetteredAt).Take(MaxListed).ToList();
    }

    /// <summary>Gives dead letters a fresh set of attempts, due now. The last error stays for reference until the next attempt.</summary>
    private static async Task<int> ReplayAsync(DbContext db, Guid? messageId, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await MessageStore.ReviveAsync(db.Set<OutboxMessage>(), messageId, now, cancellationToken)
            + await MessageStore.ReviveAsync(db.Set<InboxMessage>(), messageId, now, cancellationToken);
    }

    private static void Wake(ModuleSignals signals, string module)
    {
        signals.Outbox(module).Set();
        signals.Inbox(module).Set();
    }
}
