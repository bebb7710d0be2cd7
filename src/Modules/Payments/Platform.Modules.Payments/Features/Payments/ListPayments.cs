using System.ComponentModel;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Payments.Domain;
using Platform.Modules.Payments.Persistence;
using Platform.Shared.Api;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Payments.Features.Payments;

/// <summary>Payments with their charges and refunds: the caller's own, or everyone's for an administrator.</summary>
internal static class ListPayments
{
    internal sealed record TransactionDto(string Kind, string Outcome, decimal Amount, string Currency, string GatewayReference, DateTimeOffset At);

    internal sealed record PaymentDto(
        Guid Id, Guid OrderId, Guid CustomerId, decimal Amount, string Currency, string Status, bool OrderCancelled, string? DeclineReason,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<TransactionDto> Transactions)
    {
        public static PaymentDto From(Payment payment) => new(
            payment.Id, payment.OrderId, payment.CustomerId, payment.Amount, payment.Currency, payment.Status.ToString(), payment.OrderCancelled,
            payment.DeclineReason, payment.CreatedAt, payment.UpdatedAt,
            payment.Transactions.OrderBy(t => t.Id)
                .Select(t => new TransactionDto(t.Kind.ToString(), t.Outcome, t.Amount, t.Currency, t.GatewayReference, t.At)).ToList());
    }

    internal sealed record Query(
        [property: Description("Only the payment of this order. Someone else's order answers 404.")] Guid? OrderId,
        [property: Description("1-based page number; default 1.")] int? Page,
        [property: Description("Items per page; default 20, at most 100.")] int? PageSize) : IQuery<PagedResult<PaymentDto>>, IPagedQuery;

    internal sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => this.RulesForPaging();
    }

    internal sealed class Handler(PaymentsDbContext db, ICurrentUser caller) : IRequestHandler<Query, PagedResult<PaymentDto>>
    {
        public async Task<PagedResult<PaymentDto>> Handle(Query request, CancellationToken cancellationToken)
        {
            var payments = db.Payments.AsNoTracking().VisibleTo(caller, p => p.CustomerId);
            if (request.OrderId is { } orderId)
            {
                payments = payments.Where(p => p.OrderId == orderId);
            }

            var page = await payments.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Select(p => p.Id)
                .ToPageByKeysAsync(request, ids => db.Payments.AsNoTracking().Include(p => p.Transactions)
                    .Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken), cancellationToken);
            return request.OrderId is not null && page.TotalCount == 0
                ? throw new NotFoundException("Payment of order", request.OrderId)
                : page.Map(PaymentDto.From);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/payments", async Task<Ok<PagedResult<PaymentDto>>> ([AsParameters] Query query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .WithName("ListPayments")
            .WithSummary("List payments with their charges and refunds")
            .WithDescription("A customer's own payments (an administrator's: everyone's). With orderId, that order's payment; " +
                "an order that is not the caller's, or that Payments has not heard of yet, answers 404.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
