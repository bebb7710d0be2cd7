using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Shared.Api;
using Platform.Shared.Modules;

namespace Platform.Shared.Gateway;

/// <summary>
/// Serves <c>/swagger/v1/swagger.json</c> as one document over every module: this process's own, with the
/// paths, schemas and tags of the modules other processes host added from their documents. Swagger UI and
/// clients see one API, whatever the topology.
/// </summary>
internal sealed class MergedApiDocument(RequestDelegate next, ModuleRegistry modules, RemoteApiDocuments remote)
{
    public static readonly PathString DocumentPath = $"/swagger/{SwaggerSetup.DocumentName}/swagger.json";

    public async Task InvokeAsync(HttpContext context)
    {
        if (modules.Remote.Count == 0 || !HttpMethods.IsGet(context.Request.Method) || context.Request.Path != DocumentPath)
        {
            await next(context);
            return;
        }

        var body = context.Response.Body;
        using var local = new MemoryStream();
        context.Response.Body = local;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }

        local.Position = 0;
        if (context.Response.StatusCode != StatusCodes.Status200OK || JsonNode.Parse(local) is not JsonObject document)
        {
            local.Position = 0;
            await local.CopyToAsync(body, context.RequestAborted);
            return;
        }

        var missing = new List<string>();
        foreach (var part in await remote.GetAsync(context.RequestAborted))
        {
            if (part.Document is null)
            {
                missing.AddRange(part.Modules);
                continue;
            }

            Merge(document, part.Document, part.Modules);
        }

        if (missing.Count > 0 && document["info"] is JsonObject info)
        {
            info["description"] = $"{info["description"]} Not shown for now: {string.Join(", ", missing)} (their process does not answer; asked again on the next request).";
        }

        context.Response.ContentLength = null;
        await JsonSerializer.SerializeAsync(body, document, cancellationToken: context.RequestAborted);
    }

    /// <summary>Adds the remote modules' paths, and whatever tags and components they need that this document lacks.</summary>
    internal static void Merge(JsonObject document, JsonObject remote, IReadOnlyList<string> remoteModules)
    {
        var prefixes = remoteModules.Select(ModuleNaming.RoutePrefix).ToList();
        var paths = Child(document, "paths");
        foreach (var (path, item) in Entries(remote["paths"]))
        {
            if (prefixes.Any(prefix => path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal)) && !paths.ContainsKey(path))
            {
                paths[path] = item?.DeepClone();
            }
        }

        var components = Child(document, "components");
        foreach (var (kind, entries) in Entries(remote["components"]))
        {
            var target = Child(components, kind);
            foreach (var (name, value) in Entries(entries).Where(e => !target.ContainsKey(e.Key)))
            {
                target[name] = value?.DeepClone();
            }
        }

        if (remote["tags"] is JsonArray remoteTags)
        {
            var tags = document["tags"] as JsonArray ?? [];
            document["tags"] = tags;
            var known = tags.Select(t => t?["name"]?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var tag in remoteTags.Where(t => remoteModules.Contains(t?["name"]?.GetValue<string>() ?? "", StringComparer.OrdinalIgnoreCase)
                && !known.Contains(t?["name"]?.GetValue<string>())))
            {
                tags.Add(tag?.DeepClone());
            }
        }
    }

    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            child = [];
            parent[name] = child;
        }

        return child;
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Entries(JsonNode? node) =>
        node is JsonObject obj ? obj.ToList() : [];
}
