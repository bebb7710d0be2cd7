using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation.Results;

namespace Platform.Shared.Api;

/// <summary>Field errors keyed the way clients wrote the JSON: camelCase paths such as <c>price.amount</c>.</summary>
internal static partial class FieldErrors
{
    public static Dictionary<string, string[]> From(IEnumerable<ValidationFailure> failures) =>
        failures
            .GroupBy(f => ToJsonPath(f.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);

    public static Dictionary<string, string[]> FromJson(JsonException exception)
    {
        // System.Text.Json reports "$.price.amount"; an unreadable document has no path.
        var path = exception.Path is { Length: > 0 } p ? p.TrimStart('$').TrimStart('.') : string.Empty;
        var key = path.Length == 0 ? "$" : path;
        return new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [key] = [path.Length == 0 ? "The body is not a valid JSON document." : "The value has the wrong type or format."],
        };
    }

    /// <summary>
    /// A route or query value that does not parse, e.g. page=abc. ASP.NET Core reports it only as a
    /// message naming the parameter; the client needs the field, not the CLR type.
    /// </summary>
    public static Dictionary<string, string[]>? FromBindingFailure(string message)
    {
        var match = BindingFailure().Match(message);
        return match.Success
            ? new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [CamelCase(match.Groups["name"].Value)] = [$"'{match.Groups["value"].Value}' is not a valid value."],
            }
            : null;
    }

    /// <summary>The framework's ways of saying that no body came where one was needed.</summary>
    public static bool IsMissingBody(string message) =>
        message.StartsWith("Implicit body inferred for parameter", StringComparison.Ordinal)
        || (RequiredValue().Match(message) is { Success: true } match && match.Groups["source"].Value == "body");

    /// <summary>A required query, route or header value that was not sent: the field it belongs to.</summary>
    public static Dictionary<string, string[]>? FromMissingValue(string message)
    {
        var match = RequiredValue().Match(message);
        return match.Success && match.Groups["source"].Value != "body"
            ? new Dictionary<string, string[]>(StringComparer.Ordinal) { [CamelCase(match.Groups["name"].Value)] = ["A value is required."] }
            : null;
    }

    [GeneratedRegex("""^Failed to bind parameter "(?:\S+ )?(?<name>[^" ]+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindingFailure();

    [GeneratedRegex("""^Required parameter "(?:\S+ )?(?<name>[^" ]+)" was not provided from (?<source>[^.]+)\.?$""")]
    private static partial Regex RequiredValue();

    private static string ToJsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(CamelCase));

    private static string CamelCase(string segment) =>
        segment.Length == 0 || char.IsLower(segment[0]) ? segment : char.ToLowerInvariant(segment[0]) + segment[1..];
}
