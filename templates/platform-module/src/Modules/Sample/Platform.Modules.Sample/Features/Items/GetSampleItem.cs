using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Sample.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;

namespace Platform.Modules.Sample.Features.Items;

/// <summary>The example read: an IQuery runs without a transaction; any signed-in caller may use it.</summary>
internal static class GetSampleItem
{
    internal sealed record Query(Guid Id) : IQuery<CreateSampleItem.SampleItemDto>;

    internal sealed class Handler(SampleDbContext db) : IRequestHandler<Query, CreateSampleItem.SampleItemDto>
    {
        public async Task<CreateSampleItem.SampleItemDto> Handle(Query request, CancellationToken cancellationToken)
        {
            var item = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.Id == request.Id, cancellationToken)
                ?? throw new NotFoundException("Item", request.Id);
            return new CreateSampleItem.SampleItemDto(item.Id, item.Name, item.CreatedAt);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/items/{id:guid}", async Task<Ok<CreateSampleItem.SampleItemDto>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Query(id), cancellationToken)))
            .WithName("GetSampleItem")
            .WithSummary("Get a sample item by id")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
