using Platform.Shared.Hosting;
using Platform.Shared.RabbitMQ;

// Composition only: modules are discovered from this project's references and enabled by configuration.
var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform();
builder.AddRabbitMqTransport(); // used when Messaging:Transport=RabbitMQ

var app = builder.Build();
app.UsePlatform();
await app.RunPlatformAsync(args);
