using System.Linq.Expressions;

namespace Platform.Shared.Security;

/// <summary>
/// The one rule for data that belongs to a customer: an administrator sees everyone's, anyone else only
/// their own, and someone else's is as absent as what does not exist (a 404, never a 403).
/// </summary>
public static class OwnedQueries
{
    /// <summary>The rows <paramref name="caller"/> may see, where <paramref name="owner"/> names the owning user's id.</summary>
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> rows, ICurrentUser caller, Expression<Func<T, Guid>> owner)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(owner);
        if (caller.IsInRole(PlatformRoles.Admin))
        {
            return rows;
        }

        // A captured variable, not a constant, so the query is sent with a parameter and its plan reused.
        var callerId = caller.Id;
        Expression<Func<Guid>> id = () => callerId;
        return rows.Where(Expression.Lambda<Func<T, bool>>(Expression.Equal(owner.Body, id.Body), owner.Parameters));
    }
}
