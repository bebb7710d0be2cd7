namespace Platform.Modules.Sample.Domain;

/// <summary>The example entity the template starts with: rename it, or replace it with the module's own.</summary>
internal sealed class SampleItem
{
    public const int NameMaxLength = 200;

    private SampleItem()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public static SampleItem Create(string name, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name.Trim(),
        CreatedAt = now,
    };
}
