using Platform.Shared.Hosting;

// Composition only: modules are discovered from this project's references and enabled by configuration.
var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform();

var app = builder.Build();
app.UsePlatform();
await app.RunPlatformAsync(args);
