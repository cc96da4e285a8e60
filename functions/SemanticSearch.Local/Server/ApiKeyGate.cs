using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using SemanticSearch.Http;

namespace SemanticSearch.Local.Server;

/// <summary>
/// The local server's door when it listens beyond loopback: every request but <c>/api/health</c> and the page's static
/// files must carry the API key — in the <c>api-key</c> header as Azure AI Search clients send it, or as <c>?code=</c>
/// as the Functions app takes its keys (so the search page, opened with <c>?code=KEY</c>, passes it on). The key is
/// compared in constant time; a missing or wrong one is a 401 problem.
/// </summary>
internal sealed class ApiKeyGate(string key)
{
    public const string HeaderName = "api-key";

    public const string QueryName = "code";

    /// <summary>The environment variable (and setting) that holds the key; <c>serve --api-key</c> sets it too.</summary>
    public const string Setting = "SEMANTIC_SEARCH_API_KEY";

    public const int MinimumLength = 16;

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (IsOpen(context.Request.Path) || Matches(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{HeaderName}\"";
        var problem = ProblemResults.Unauthorized($"Send the API key in the '{HeaderName}' header (or as ?{QueryName}= for the page).");
        await problem.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
    }

    /// <summary>Probes and the page's files (the same public code for everyone) need no key; the page and the API do.</summary>
    private static bool IsOpen(PathString path) =>
        path.Equals("/api/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/assets", StringComparison.OrdinalIgnoreCase);

    private bool Matches(HttpRequest request)
    {
        var given = request.Headers.TryGetValue(HeaderName, out var header) && header.Count > 0 ? header.ToString()
            : request.Query.TryGetValue(QueryName, out var query) ? query.ToString()
            : null;
        // Hashing first makes the comparison constant-time in the key's length as well as its content.
        return given is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _expected);
    }
}
