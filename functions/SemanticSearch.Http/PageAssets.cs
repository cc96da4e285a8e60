using System.Collections.Frozen;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SemanticSearch.Http;

/// <summary>
/// The search page (wwwroot: index.html, app.js, api.js, render.js, app.css, favicon.svg), embedded in this library and
/// held in memory, and how to serve it: the local server and the Functions app both call <see cref="ServePageAsync"/>
/// and <see cref="ServeAssetAsync"/>, so both send the same bytes with the same headers. The page refers to its files
/// as <c>assets/…</c>, relative to its own address (<c>/</c> locally, <c>/api/page</c> in Functions). Only the files it
/// holds can be asked for, by exact name: there is no path to traverse.
/// </summary>
public sealed class PageAssets
{
    /// <summary>The page needs nothing but its own origin: no inline script or style, no other host.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public const string IndexFile = "index.html";

    private const string ApiBaseMeta = "<meta name=\"api-base\" content=\"/api\">";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        // Module scripts are refused unless served as JavaScript (and nosniff forbids guessing).
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, byte[]> _files;

    private PageAssets(IDictionary<string, byte[]> files) => _files = files.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The file names held, e.g. "app.js".</summary>
    public IEnumerable<string> Names => _files.Keys;

    /// <summary>The page this library embeds (SemanticSearch.Http.csproj: wwwroot/**).</summary>
    public static PageAssets Embedded { get; } = FromAssembly(typeof(PageAssets).Assembly);

    /// <summary>
    /// The page embedded in <paramref name="assembly"/> as resources named "wwwroot/&lt;file&gt;", e.g. with
    /// <c>&lt;EmbeddedResource Include="wwwroot/**" LogicalName="wwwroot/%(RecursiveDir)%(Filename)%(Extension)" /&gt;</c>.
    /// </summary>
    public static PageAssets FromAssembly(Assembly assembly, string prefix = "wwwroot/")
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            found[resource[prefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }
        return Checked(found, $"resources '{prefix}*' of {assembly.GetName().Name}");
    }

    private static PageAssets Checked(Dictionary<string, byte[]> found, string where) =>
        found.ContainsKey(IndexFile) ? new PageAssets(found) : throw new InvalidOperationException($"No {IndexFile} in the {where}.");

    /// <summary>The page itself, with its security and cache headers (a host that moves the API elsewhere says where).</summary>
    public Task ServePageAsync(HttpContext context, string apiBase = "/api") => ServeAsync(context, IndexFile, apiBase);

    /// <summary>One of the page's files other than the page itself (which hosts serve behind their own authorization), or a 404.</summary>
    public Task ServeAssetAsync(HttpContext context, string? name) =>
        ServeAsync(context, string.IsNullOrEmpty(name) || name == IndexFile ? null : name, "/api");

    /// <summary>
    /// Writes one file with its security and cache headers, or a 404 (<paramref name="name"/> null).
    /// <paramref name="apiBase"/> goes into index.html's &lt;meta name="api-base"&gt;.
    /// </summary>
    private async Task ServeAsync(HttpContext context, string? name, string apiBase)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        // The page's URL may carry ?code=<function key>: never send it to another site as a Referer.
        response.Headers["Referrer-Policy"] = "no-referrer";

        var file = name ?? string.Empty;
        if (!_files.TryGetValue(file, out var content) || !ContentTypes.TryGetValue(Path.GetExtension(file), out var contentType))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (file == IndexFile && apiBase != "/api")
        {
            var html = Encoding.UTF8.GetString(content).Replace(ApiBaseMeta, $"<meta name=\"api-base\" content=\"{WebUtility.HtmlEncode(apiBase)}\">", StringComparison.Ordinal);
            content = Encoding.UTF8.GetBytes(html);
        }

        // Revalidate every time (an upgrade shows at once) but send the bytes only when they changed.
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8))}\"";
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = content.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(content, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
