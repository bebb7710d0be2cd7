using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Platform.Shared.Api;

/// <summary>One page of a list, with what a client needs to ask for the next.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

/// <summary>A query that returns one page; <c>page</c> and <c>pageSize</c> come from the query string.</summary>
public interface IPagedQuery
{
    int? Page { get; }

    int? PageSize { get; }
}

public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The paging rules every list endpoint shares: page from 1, page size from 1 to 100.</summary>
    public static void RulesForPaging<T>(this AbstractValidator<T> validator)
        where T : IPagedQuery
    {
        ArgumentNullException.ThrowIfNull(validator);
        validator.RuleFor(q => q.Page).GreaterThanOrEqualTo(1);
        validator.RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize);
    }

    /// <summary>Counts the query, then reads the requested page of it; <paramref name="ordered"/> must have a stable order.</summary>
    public static async Task<PagedResult<TItem>> ToPageAsync<TItem>(this IQueryable<TItem> ordered, IPagedQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? DefaultPageSize;
        var total = await ordered.CountAsync(cancellationToken);
        var items = await ordered.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<TItem>(items, page, pageSize, total);
    }

    /// <summary>
    /// Pages the keys of an ordered query, then has <paramref name="load"/> read those rows whole and returns them in
    /// the page's order: paging a query that also loads collections would page its joined rows, not its entities.
    /// </summary>
    public static async Task<PagedResult<TItem>> ToPageByKeysAsync<TKey, TItem>(
        this IQueryable<TKey> orderedKeys, IPagedQuery query, Func<List<TKey>, Task<Dictionary<TKey, TItem>>> load, CancellationToken cancellationToken)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(load);
        var page = await orderedKeys.ToPageAsync(query, cancellationToken);
        var loaded = await load(page.Items.ToList());
        return page.Map(key => loaded[key]);
    }

    public static PagedResult<TOut> Map<TIn, TOut>(this PagedResult<TIn> page, Func<TIn, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new PagedResult<TOut>(page.Items.Select(map).ToList(), page.Page, page.PageSize, page.TotalCount);
    }
}
