using Platform.Shared.Hosting;
using Platform.Shared.RabbitMQ;

// The same composition as src/Host; the Probe module is found among this project's references.
var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform();
builder.AddRabbitMqTransport(); // used when Messaging:Transport=RabbitMQ

var app = builder.Build();
app.UsePlatform();
await app.RunPlatformAsync(args);
