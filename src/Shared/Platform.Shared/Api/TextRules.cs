using FluentValidation;

namespace Platform.Shared.Api;

/// <summary>
/// Rules for text that people see or that ends up in logs and e-mail headers: no control characters
/// (line breaks, NUL, escape) and no text-direction overrides, which can forge log lines, inject
/// headers or disguise a name (<c>Eve\u202Egnp.exe</c> shows as <c>Eveexe.png</c>).
/// </summary>
public static class TextRules
{
    public const string Message = "Must not contain control characters (such as line breaks) or text-direction overrides.";

    public static bool IsPlainText(string? text) => text is null || !text.Any(IsForbidden);

    public static IRuleBuilderOptions<T, string> PlainText<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(text => IsPlainText(text)).WithMessage(Message);

    private static bool IsForbidden(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
