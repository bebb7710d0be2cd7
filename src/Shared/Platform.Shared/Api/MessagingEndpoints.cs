using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Platform.Shared.Errors;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;
using Platform.Shared.Security;

namespace Platform.Shared.Api;

public sealed record DiscardRequest(string? Reason);

public sealed record DiscardResult(int Discarded);

/// <summary>
/// Per module, for administrators: what waits, what was parked and why; send a dead letter round
/// again once the cause is fixed, or give up on it with a reason. Mapped under the module's own route
/// so it travels with the module.
/// </summary>
internal static class MessagingEndpoints
{
    public const int MaxReasonLength = 500;

    public static void MapMessagingOperations(this IEndpointRouteBuilder endpoints, IModule module)
    {
        var group = endpoints.MapGroup("/messaging").RequireAuthorization(PlatformPolicies.Admin);
        var contextType = module.Database!.ContextType;

        group.MapGet("/dead-letters", async Task<Ok<List<DeadLetterDto>>> (bool? includeDiscarded, IServiceProvider services, CancellationToken cancellationToken) =>
                TypedResults.Ok(await MessagingOperations.ListDeadLettersAsync(services.GetDbContext(contextType), includeDiscarded == true, cancellationToken)))
            .WithName($"{module.Name}ListDeadLetters")
            .WithSummary($"List {module.Name}'s dead-lettered messages (Admin)")
            .WithDescription($"Newest first, at most {MessagingOperations.MaxListed}. Discarded ones only with includeDiscarded=true.");

        group.MapGet("/pending", async Task<Ok<List<PendingMessageDto>>> (IServiceProvider services, CancellationToken cancellationToken) =>
                TypedResults.Ok(await MessagingOperations.ListPendingAsync(services.GetDbContext(contextType), cancellationToken)))
            .WithName($"{module.Name}ListPendingMessages")
            .WithSummary($"List {module.Name}'s messages waiting for delivery or for a retry (Admin)")
            .WithDescription($"Oldest first, at most {MessagingOperations.MaxListed} of each: stage 'deliver' (outbox, per destination) and 'handle' (inbox retries).");

        group.MapPost("/dead-letters/{messageId:guid}/replay", async Task<Ok<ReplayResult>> (Guid messageId, IServiceProvider services, MessagingOperations operations, CancellationToken cancellationToken) =>
            {
                var result = await operations.ReplayAsync(services.GetDbContext(contextType), module.Name, messageId, cancellationToken);
                if (result.Replayed == 0 && result.Refused == 0)
                {
                    throw new NotFoundException("Dead letter", messageId);
                }

                return result.Replayed == 0
                    ? throw new ConflictException(string.Join(" ", result.Reasons))
                    : TypedResults.Ok(result);
            })
            .WithName($"{module.Name}ReplayDeadLetter")
            .WithSummary($"Replay one of {module.Name}'s dead-lettered messages (Admin)")
            .WithDescription("Only the destination or handler that failed gets it again. Refused (409) when too old to replay safely.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/dead-letters/replay", async Task<Ok<ReplayResult>> (IServiceProvider services, MessagingOperations operations, CancellationToken cancellationToken) =>
                TypedResults.Ok(await operations.ReplayAsync(services.GetDbContext(contextType), module.Name, messageId: null, cancellationToken)))
            .WithName($"{module.Name}ReplayAllDeadLetters")
            .WithSummary($"Replay all of {module.Name}'s dead-lettered messages (Admin)")
            .WithDescription("Those too old to replay safely are refused and listed in the answer.");

        group.MapPost("/dead-letters/{messageId:guid}/discard", async Task<Ok<DiscardResult>> (Guid messageId, DiscardRequest body, IServiceProvider services, MessagingOperations operations, CancellationToken cancellationToken) =>
            {
                var reason = body.Reason?.Trim();
                if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
                {
                    throw new ValidationException([new ValidationFailure("reason", $"Say why, in 1 to {MaxReasonLength} characters.")]);
                }

                var discarded = await operations.DiscardAsync(services.GetDbContext(contextType), messageId, reason, cancellationToken);
                return discarded == 0 ? throw new NotFoundException("Dead letter", messageId) : TypedResults.Ok(new DiscardResult(discarded));
            })
            .WithName($"{module.Name}DiscardDeadLetter")
            .WithSummary($"Give up on one of {module.Name}'s dead-lettered messages (Admin)")
            .WithDescription("It stays listed (includeDiscarded=true) with the reason, and is never replayed.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
