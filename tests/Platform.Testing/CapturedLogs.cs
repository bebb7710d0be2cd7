using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Platform.Testing;

/// <summary>One structured log entry: its category, level, event and named values.</summary>
public sealed record CapturedEntry(string Category, LogLevel Level, string EventName, IReadOnlyDictionary<string, string?> Values, string Message)
{
    public string? this[string key] => Values.GetValueOrDefault(key);
}

/// <summary>A logger provider that keeps every formatted message and exception text in memory, and each entry's named values.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<CapturedEntry> _entries = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public IReadOnlyCollection<CapturedEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<CapturedEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            lines.Enqueue($"{category} {logLevel}: {message} {exception}");
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    values[key] = value?.ToString();
                }
            }

            entries.Enqueue(new CapturedEntry(category, logLevel, eventId.Name ?? string.Empty, values, message));
        }
    }
}
