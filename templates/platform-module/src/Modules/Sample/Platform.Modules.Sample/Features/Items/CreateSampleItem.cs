using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Platform.Modules.Sample.Domain;
using Platform.Modules.Sample.Persistence;
using Platform.Shared.Api;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Sample.Features.Items;

/// <summary>The example use case: one file holds the request, its validator, its handler and its endpoint.</summary>
internal static class CreateSampleItem
{
    // ICommand runs in a transaction with the events it publishes; a read is an IQuery.
    internal sealed record Command(string Name) : ICommand<SampleItemDto>;

    internal sealed record SampleItemDto(Guid Id, string Name, DateTimeOffset CreatedAt);

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(SampleItem.NameMaxLength).PlainText();
    }

    internal sealed class Handler(SampleDbContext db, TimeProvider clock) : IRequestHandler<Command, SampleItemDto>
    {
        public Task<SampleItemDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var item = SampleItem.Create(request.Name, clock.GetUtcNow());
            db.Items.Add(item);
            return Task.FromResult(new SampleItemDto(item.Id, item.Name, item.CreatedAt));
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/items", async Task<Created<SampleItemDto>> (Command command, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var item = await mediator.Send(command, cancellationToken);
                return TypedResults.Created($"/api/sample/items/{item.Id}", item);
            })
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("CreateSampleItem")
            .WithSummary("Create a sample item")
            .ProducesValidationProblem();
}
