using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class ChangePassword
{
    internal sealed record Body(string CurrentPassword, string NewPassword)
    {
        public override string ToString() => "ChangePassword { }";
    }

    /// <summary>The caller's e-mail address comes from the token, for the password rules; the body only brings passwords.</summary>
    internal sealed record Command(string CurrentPassword, string NewPassword, string? Email) : ICommand<bool>
    {
        // Keeps both passwords out of logs and exception messages that print the request.
        public override string ToString() => "ChangePassword { }";
    }

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CurrentPassword).NotEmpty().MaximumLength(IdentityModuleOptions.MaxPasswordLength);
            RuleFor(c => c.NewPassword).Cascade(CascadeMode.Stop)
                .NewPassword(c => c.Email)
                .NotEqual(c => c.CurrentPassword).WithMessage("The new password must differ from the current one.");
        }
    }

    /// <summary>
    /// Needs the current password; then every session ends (new security stamp, sessions ended, refresh
    /// tokens revoked), so every access token, this one included, stops working at once.
    /// </summary>
    internal sealed class Handler(IdentityDbContext db, IPasswordHasher<User> hasher, Sessions sessions, ICurrentUser caller, SecurityAudit audit)
        : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == caller.Id, cancellationToken) ?? throw new NotFoundException("User", caller.Id);
            if (hasher.VerifyHashedPassword(user, user.PasswordHash, request.CurrentPassword) == PasswordVerificationResult.Failed)
            {
                throw new ValidationException([new ValidationFailure(nameof(Command.CurrentPassword), "The current password is not correct.")]);
            }

            user.SetPasswordHash(hasher.HashPassword(user, request.NewPassword));
            user.RotateSecurityStamp();
            await sessions.EndAllAsync(user.Id, SessionEndReasons.PasswordChanged, cancellationToken);
            audit.PasswordChanged(user.Id, "by the account holder");
            return true;
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/change-password", async Task<NoContent> (Body body, IMediator mediator, ICurrentUser caller, CancellationToken cancellationToken) =>
            {
                await mediator.Send(new Command(body.CurrentPassword, body.NewPassword, caller.Email), cancellationToken);
                return TypedResults.NoContent();
            })
            .RequireRateLimiting(PlatformRateLimits.Credentials)
            .WithName("ChangePassword")
            .WithSummary("Change the caller's password; every session ends")
            .WithDescription("Needs the current password. The new one follows the registration rules. Afterwards every access and refresh token of the account stops working: sign in again.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
