using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Platform.Shared.Hosting;

/// <summary>
/// The console log format, made safe for any value: control characters (line breaks among them) and
/// text-direction overrides inside a message are written escaped (<c>\r</c>, <c>\n</c>, <c>\u202E</c>),
/// so a value a client chose can never start a line of its own or disguise one. An exception's stack
/// is indented under its entry.
/// </summary>
internal sealed class SafeConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "platform";
    private const string Indent = "      ";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var line = new StringBuilder()
            .Append(Level(logEntry.LogLevel)).Append(": ")
            .Append(Escape(logEntry.Category)).Append('[').Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']')
            .AppendLine()
            .Append(Indent).Append(Escape(message ?? string.Empty))
            .AppendLine();
        if (logEntry.Exception is { } exception)
        {
            foreach (var stackLine in exception.ToString().Split('\n'))
            {
                line.Append(Indent).Append(Escape(stackLine.TrimEnd('\r'))).AppendLine();
            }
        }

        textWriter.Write(line.ToString());
    }

    /// <summary>The text with every control or direction-override character written as an escape.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when NeedsEscape(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
