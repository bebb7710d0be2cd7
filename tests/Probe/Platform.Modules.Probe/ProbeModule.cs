using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Probe.Contracts;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Configuration;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;

namespace Platform.Modules.Probe;

/// <summary>Test-only module: publishes pings on request and records every event it handles, misbehaving as configured.</summary>
public sealed class ProbeModule : IModule
{
    public string Name => "Probe";

    public ModuleDatabase Database { get; } = ModuleDatabase.For<ProbeDbContext, SqliteProbeDbContext, SqlServerProbeDbContext>();

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new ProbeBehaviour(
            configuration.GetSection("Probe").Get<ProbeSettings>() ?? new ProbeSettings(),
            sp.GetRequiredService<DataFolder>()));
        services.AddSingleton<ClaimCounter>();
        services.AddHostedService(sp => sp.GetRequiredService<ClaimCounter>());
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/pings", async Task<Ok<PingResult>> (PublishPings command, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(command, cancellationToken)))
            .AllowAnonymous()
            .WithSummary("Test only: publish pings");
        endpoints.MapGet("/effects", async Task<Ok<ProbeStats>> (ProbeDbContext db, CancellationToken cancellationToken) =>
                TypedResults.Ok(new ProbeStats(
                    await db.Effects.CountAsync(cancellationToken),
                    await db.Effects.GroupBy(e => new { e.MessageId, e.Handler }).CountAsync(g => g.Count() > 1, cancellationToken))))
            .AllowAnonymous()
            .WithSummary("Test only: how many effects were recorded, and how many messages have more than one");
        endpoints.MapGet("/claims", (ClaimCounter claims) => TypedResults.Ok(new ClaimStats(claims.Statements, claims.Since)))
            .AllowAnonymous()
            .WithSummary("Test only: claim statements this process has run since it started");
    }
}

internal sealed record PingResult(IReadOnlyList<Guid> PingIds);

internal sealed record ProbeStats(int Effects, int Doubled);

internal sealed record ClaimStats(long Statements, DateTimeOffset Since);

internal sealed record PublishPings(int Count, string? Behaviour) : ICommand<PingResult>;

internal sealed class PublishPingsHandler(IEventPublisher events) : IRequestHandler<PublishPings, PingResult>
{
    public Task<PingResult> Handle(PublishPings request, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, Math.Clamp(request.Count, 1, 1000)).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            events.Publish(new ProbePinged(id, request.Behaviour ?? "normal"));
        }

        return Task.FromResult<PingResult>(new(ids));
    }
}
