namespace Platform.Shared.Errors;

/// <summary>The addressed resource does not exist (404).</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException(string resource, object id)
        : base($"{resource} '{id}' was not found.")
    {
    }

    /// <summary>Said in full, as another process's problem document said it.</summary>
    public NotFoundException(string message)
        : base(message)
    {
    }
}

/// <summary>The request conflicts with the current state, such as a duplicate key (409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>
/// The request is well-formed but breaks a business rule (422). <paramref name="errors"/> names the
/// fields at fault, keyed as the client wrote them (<c>lines[1].productId</c>), when the rule is about some.
/// </summary>
public sealed class BusinessRuleException(string message, IReadOnlyDictionary<string, string[]>? errors = null) : Exception(message)
{
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;
}
