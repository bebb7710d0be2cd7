using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class Register
{
    internal sealed record Command(string Email, string Password, string DisplayName) : ICommand<UserDto>
    {
        // Keeps the password out of logs and exception messages that print the request.
        public override string ToString() => $"Register {{ Email = {Email} }}";
    }

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Email).AccountEmail();
            RuleFor(c => c.Password).Cascade(CascadeMode.Stop).NewPassword(c => c.Email, c => c.DisplayName);
            RuleFor(c => c.DisplayName).DisplayName();
        }
    }

    internal sealed class Handler(
        IdentityDbContext db, IPasswordHasher<User> hasher, IEventPublisher events, TimeProvider clock, IOptions<IdentityModuleOptions> options)
        : IRequestHandler<Command, UserDto>
    {
        public async Task<UserDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var normalized = EmailAddress.Normalize(request.Email);
            // The configured administrator's address is taken even before the seeder has created it, so a
            // registration racing the first start cannot claim it (the answer is the one for any taken address).
            var admin = options.Value.Admin.Email;
            if ((!string.IsNullOrWhiteSpace(admin) && EmailAddress.Normalize(admin) == normalized)
                || await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
            {
                throw new ConflictException("An account with this email address already exists.");
            }

            var user = User.Create(request.Email, request.DisplayName, [PlatformRoles.Customer], clock.GetUtcNow());
            user.SetPasswordHash(hasher.HashPassword(user, request.Password));
            db.Users.Add(user);
            events.Publish(user.ToRegisteredEvent());
            return UserDto.From(user);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/register", async Task<Created<UserDto>> (Command command, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var user = await mediator.Send(command, cancellationToken);
                return TypedResults.Created($"/api/identity/users/{user.Id}", user);
            })
            .AllowAnonymous()
            .RequireRateLimiting(PlatformRateLimits.Credentials)
            .WithName("Register")
            .WithSummary("Create a customer account")
            .WithDescription("Passwords need at least 10 characters, must not be the email address, and must be hard to guess (a zxcvbn score of 3 or more; the 400 says why not). An address already registered gets 409: see docs/security.md on enumeration.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
