using Microsoft.AspNetCore.Routing;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Services;

/// <summary>Identity's endpoints for other processes: service tokens, and session checks.</summary>
internal sealed class IdentityInternalEndpoints : IInternalEndpoints
{
    public string Module => "Identity";

    public void Map(RouteGroupBuilder group)
    {
        IssueServiceToken.Map(group);
        CheckSession.Map(group);
    }
}
