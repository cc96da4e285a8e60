using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SemanticSearch.Diagnostics;
using SemanticSearch.Embeddings;
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
    SemanticSearchMetrics metrics,
    ClientPrincipalReader principals,
    Readiness readiness)
{
    public const string CacheHeader = "X-Cache";

    public const int DefaultDocumentsPage = 100;

    public const int MaxDocumentsPage = 1000;

    /// <summary>
    /// <c>GET /api/search?q=&amp;top=&amp;skip=&amp;mode=&amp;tag=&amp;folder=&amp;type=&amp;modifiedAfter=&amp;modifiedBefore=</c>
    /// and <c>POST /api/search</c> with the same names in a JSON object. Results are trimmed to what the caller may read.
    /// </summary>
    public async Task<IActionResult> SearchAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SearchParameters parameters;
        if (HttpMethods.IsPost(request.Method))
        {
            var (body, error) = await SearchParametersReader.FromBodyAsync(request, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return ReferenceEquals(error, SearchParametersReader.BodyTooLarge)
                    ? ProblemResults.PayloadTooLarge(error)
                    : ProblemResults.Validation(new Dictionary<string, string[]> { ["body"] = [error] });
            }
            parameters = body!;
        }
        else
        {
            parameters = SearchParametersReader.FromQuery(request.Query);
        }
        var parsed = SearchRequestParser.Parse(parameters);
        if (!parsed.IsValid)
        {
            return ProblemResults.Validation(parsed.Errors);
        }
        if (!principals.TryRead(request, out var caller, out var principalError))
        {
            return ProblemResults.Validation(new Dictionary<string, string[]> { [ClientPrincipalReader.HeaderName] = [principalError!] });
        }

        SearchResponse response;
        try
        {
            response = await search.SearchAsync(parsed.Request! with { Caller = caller }, cancellationToken).ConfigureAwait(false);
        }
        catch (EmbeddingCapacityExceededException busy)
        {
            return ProblemResults.TooManyRequests(busy.Message, busy.RetryAfter);
        }
        catch (VectorSpaceMismatchException mismatch)
        {
            // The index belongs to another embedding model: a configuration problem no retry fixes, said plainly.
            return ProblemResults.Unavailable(mismatch.Message);
        }
        request.HttpContext.Response.Headers[CacheHeader] = response.CacheHit ? "HIT" : "MISS";
        return new OkObjectResult(response);
    }

    /// <summary>
    /// <c>GET /api/documents?top=N&amp;continuationToken=T</c>: a page of the documents' last ingestion outcomes,
    /// <c>{"documents": [...], "continuationToken": string|null}</c>.
    /// </summary>
    public async Task<IActionResult> ListDocumentsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var top = DefaultDocumentsPage;
        if (request.Query.TryGetValue("top", out var rawTop)
            && (!int.TryParse(rawTop.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out top) || top < 1 || top > MaxDocumentsPage))
        {
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["top"] = [$"'top' must be a whole number from 1 to {MaxDocumentsPage}."] });
        }
        var token = request.Query.TryGetValue("continuationToken", out var rawToken) && !string.IsNullOrEmpty(rawToken.ToString()) ? rawToken.ToString() : null;
        DocumentStatusPage page;
        try
        {
            page = await statuses.ListAsync(top, token, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            return ProblemResults.Validation(new Dictionary<string, string[]> { ["continuationToken"] = [ex.Message] });
        }
        return new OkObjectResult(new DocumentListResponse([.. page.Statuses.Select(DocumentStatusResponse.From)], page.ContinuationToken));
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

    /// <summary>
    /// <c>GET /api/health</c>: 200 with the encoder and backends when the index answers and no component reports a
    /// problem (<see cref="Readiness"/>: e.g. the start-up check could not open the index), else 503 with the reason.
    /// Asking for the generation retries opening the index, so a start-up failure that has healed shows as healthy.
    /// </summary>
    public async Task<IActionResult> HealthAsync(CancellationToken cancellationToken)
    {
        long? generation = null;
        string? error = null;
        try
        {
            generation = await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex.Message;
        }
        var problems = readiness.Problems;
        error ??= problems.Count > 0 ? string.Join(" ", problems.Select(p => $"{p.Component}: {p.Error}")) : null;
        if (error is null)
        {
            return new OkObjectResult(new HealthResponse("healthy", EncoderResponse.From(encoder), backends, generation, metrics.Snapshot()));
        }
        return new ObjectResult(new HealthResponse("unhealthy", EncoderResponse.From(encoder), backends, generation, metrics.Snapshot(), error)
        {
            Problems = problems.Count > 0 ? problems : null,
        })
        {
            StatusCode = StatusCodes.Status503ServiceUnavailable,
        };
    }
}
