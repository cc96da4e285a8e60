using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SemanticSearch.Diagnostics;
using Microsoft.Extensions.AI;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Query;

namespace SemanticSearch.Http;

/// <summary>
/// The HTTP API, host-agnostic: the Azure Functions app and the local server both route requests here, so both serve
/// the same JSON and the same 400s. Returns <see cref="IActionResult"/>, which the Functions ASP.NET Core integration
/// executes natively and the local server executes through MVC's result executors.
/// </summary>
public sealed class SearchApi(
    SearchService search,
    IDocumentStatusStore statuses,
    ISearchIndex index,
    EmbeddingGeneratorMetadata encoder,
    BackendDescription backends,
    SemanticSearchMetrics metrics)
{
    public const string CacheHeader = "X-Cache";

    /// <summary><c>GET /api/search?q=&amp;top=&amp;mode=</c> and <c>POST /api/search</c> with <c>{"q", "top", "mode"}</c>.</summary>
    public async Task<IActionResult> SearchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SearchRequestParseResult parsed;
        if (HttpMethods.IsPost(request.Method))
        {
            var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            if (body.Error is not null)
            {
                return ProblemResults.Validation(new Dictionary<string, string[]> { ["body"] = [body.Error] });
            }
            parsed = SearchRequestParser.Parse(body.Query, body.Top, body.Mode);
        }
        else
        {
            parsed = SearchRequestParser.Parse(Single(request.Query, "q"), Single(request.Query, "top"), Single(request.Query, "mode"));
        }
        if (!parsed.IsValid)
        {
            return ProblemResults.Validation(parsed.Errors);
        }

        var response = await search.SearchAsync(parsed.Request!, cancellationToken).ConfigureAwait(false);
        request.HttpContext.Response.Headers[CacheHeader] = response.CacheHit ? "HIT" : "MISS";
        return new OkObjectResult(response);
    }

    /// <summary><c>GET /api/documents</c>: the last ingestion outcome of every document.</summary>
    public async Task<IActionResult> ListDocumentsAsync(CancellationToken cancellationToken)
    {
        var all = await statuses.ListAsync(cancellationToken).ConfigureAwait(false);
        return new OkObjectResult(all.Select(DocumentStatusResponse.From).ToList());
    }

    /// <summary><c>GET /api/documents/{documentId}</c>; the id may contain '/' (a path below the docs folder or a blob name).</summary>
    public async Task<IActionResult> GetDocumentAsync(string? documentId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(documentId))
        {
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["documentId"] = ["A document id is required."] });
        }
        var id = Uri.UnescapeDataString(documentId);
        var status = await statuses.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return status is null
            ? ProblemResults.NotFound($"No document '{id}' has been ingested.")
            : new OkObjectResult(DocumentStatusResponse.From(status));
    }

    /// <summary><c>GET /api/health</c>: 200 with the encoder and backends when the index answers, else 503.</summary>
    public async Task<IActionResult> HealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var generation = await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
            return new OkObjectResult(new HealthResponse("healthy", EncoderResponse.From(encoder), backends, generation, metrics.Snapshot()));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ObjectResult(new HealthResponse("unhealthy", EncoderResponse.From(encoder), backends, null, metrics.Snapshot(), ex.Message))
            {
                StatusCode = StatusCodes.Status503ServiceUnavailable,
            };
        }
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.ToString() : null;

    private static async Task<SearchBody> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return SearchBody.Invalid("The body must be a JSON object like {\"q\": \"text\", \"top\": 5, \"mode\": \"hybrid\"}.");
            }
            var root = document.RootElement;
            return new SearchBody(Text(root, "q"), Text(root, "top"), Text(root, "mode"), null);
        }
        catch (JsonException ex)
        {
            return SearchBody.Invalid($"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>A property as text, so the parser gives the same messages for JSON and query strings ("top": "x" or "top": 1.5).</summary>
    private static string? Text(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
    }

    private sealed record SearchBody(string? Query, string? Top, string? Mode, string? Error)
    {
        public static SearchBody Invalid(string error) => new(null, null, null, error);
    }
}
