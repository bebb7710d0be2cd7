using Platform.Shared.Hosting;

// The same composition as src/Host; the Probe module is found among this project's references.
var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform();

var app = builder.Build();
app.UsePlatform();
await app.RunPlatformAsync(args);
