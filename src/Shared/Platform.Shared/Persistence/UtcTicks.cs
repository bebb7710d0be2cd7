using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Platform.Shared.Persistence;

/// <summary>
/// A point in time stored as its UTC ticks: sortable and comparable in SQL on every provider (SQLite cannot
/// order DateTimeOffset), exact to the tick, and read back as the same instant with offset zero.
/// </summary>
public static class UtcTicks
{
    public static ValueConverter<DateTimeOffset, long> Converter { get; } =
        new(value => value.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
