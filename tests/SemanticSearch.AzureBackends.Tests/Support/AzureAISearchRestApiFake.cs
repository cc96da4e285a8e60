using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SemanticSearch.AzureBackends.Tests.Support;

/// <summary>
/// A stand-in for the Azure AI Search REST API (2023-11-01) behind an <see cref="HttpMessageHandler"/>, shaped after
/// the contract in azure-rest-api-specs (searchservice.json, searchindex.json and their examples): index definitions
/// (GET / PUT / DELETE <c>/indexes('name')</c>), <c>/docs/$count</c>, indexing batches (<c>/docs/search.index</c>,
/// 200 or 207 with one result per action) and searches (<c>/docs/search.post.search</c>) with the filters, paging and
/// facets the index uses. It records every request, and <see cref="Faults"/> lets a test answer any request itself.
/// </summary>
internal sealed partial class AzureAISearchRestApiFake : HttpMessageHandler
{
    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>Called for every request before the fake answers; a non-null response is sent instead.</summary>
    public List<Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage?>>> Faults { get; } = [];

    /// <summary>Per-item statuses to report for keys, once each (e.g. 503 then success).</summary>
    public Dictionary<string, Queue<int>> ItemStatuses { get; } = new(StringComparer.Ordinal);

    public JsonObject? IndexDefinition { get; set; }

    public Dictionary<string, JsonObject> Documents { get; } = new(StringComparer.Ordinal);

    /// <summary>Hits a text or vector search returns: ids in rank order with their scores.</summary>
    public List<(string Id, double Score)> SearchResults { get; } = [];

    public IEnumerable<RecordedRequest> IndexBatches => Requests.Where(r => r.Path.EndsWith("/docs/search.index", StringComparison.Ordinal));

    public IEnumerable<RecordedRequest> Searches => Requests.Where(r => r.Path.EndsWith("/docs/search.post.search", StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, body, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)));
        int count;
        lock (Requests)
        {
            Requests.Add(recorded);
            count = Requests.Count;
        }
        foreach (var fault in Faults)
        {
            if (await fault(recorded, count, cancellationToken) is { } response)
            {
                return response;
            }
        }
        return Answer(recorded);
    }

    private HttpResponseMessage Answer(RecordedRequest request)
    {
        var path = Uri.UnescapeDataString(request.Path);
        if (IndexPath().Match(path) is { Success: true } index)
        {
            return request.Method switch
            {
                "GET" => IndexDefinition is null ? Error(HttpStatusCode.NotFound, "No index with the name 'x' was found in the service.") : Json(HttpStatusCode.OK, IndexDefinition),
                "PUT" => Created(request),
                "DELETE" => Delete(),
                _ => Error(HttpStatusCode.MethodNotAllowed, request.Method),
            };
        }
        if (path.EndsWith("/docs/$count", StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Documents.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8, "text/plain") };
        }
        if (path.EndsWith("/docs/search.index", StringComparison.Ordinal))
        {
            return Index(request);
        }
        if (path.EndsWith("/docs/search.post.search", StringComparison.Ordinal))
        {
            return Search(request);
        }
        return Error(HttpStatusCode.BadRequest, $"No route for {request.Method} {path}");
    }

    private HttpResponseMessage Created(RecordedRequest request)
    {
        var definition = JsonNode.Parse(request.Body!)!.AsObject();
        var created = IndexDefinition is null;
        IndexDefinition = definition;
        return Json(created ? HttpStatusCode.Created : HttpStatusCode.OK, definition);
    }

    private HttpResponseMessage Delete()
    {
        IndexDefinition = null;
        Documents.Clear();
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private HttpResponseMessage Index(RecordedRequest request)
    {
        var actions = JsonNode.Parse(request.Body!)!["value"]!.AsArray();
        var results = new JsonArray();
        var anyFailed = false;
        foreach (var action in actions)
        {
            var document = action!.AsObject();
            var key = document["id"]!.GetValue<string>();
            var kind = document["@search.action"]!.GetValue<string>();
            if (ItemStatuses.TryGetValue(key, out var statuses) && statuses.Count > 0)
            {
                var status = statuses.Dequeue();
                if (status >= 300)
                {
                    anyFailed = true;
                    results.Add(new JsonObject { ["key"] = key, ["status"] = false, ["errorMessage"] = $"Injected {status}", ["statusCode"] = status });
                    continue;
                }
            }
            var fields = document.DeepClone().AsObject();
            fields.Remove("@search.action");
            switch (kind)
            {
                case "upload":
                    Documents[key] = fields;
                    break;
                case "merge" when Documents.TryGetValue(key, out var existing):
                    foreach (var (name, value) in fields)
                    {
                        existing[name] = value?.DeepClone();
                    }
                    break;
                case "merge":
                    anyFailed = true;
                    results.Add(new JsonObject { ["key"] = key, ["status"] = false, ["errorMessage"] = "Document not found.", ["statusCode"] = 404 });
                    continue;
                case "delete":
                    Documents.Remove(key);
                    break;
            }
            results.Add(new JsonObject { ["key"] = key, ["status"] = true, ["errorMessage"] = null, ["statusCode"] = kind == "upload" ? 201 : 200 });
        }
        return Json(anyFailed ? HttpStatusCode.MultiStatus : HttpStatusCode.OK, new JsonObject { ["value"] = results });
    }

    private HttpResponseMessage Search(RecordedRequest request)
    {
        var query = JsonNode.Parse(request.Body!)!.AsObject();
        IEnumerable<JsonObject> matches = Documents.Values;
        if (query["filter"]?.GetValue<string>() is { } filter)
        {
            var match = FilterPattern().Match(filter);
            if (!match.Success)
            {
                return Error(HttpStatusCode.BadRequest, $"Invalid expression: {filter}");
            }
            var documentId = match.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            matches = matches.Where(d => d["documentId"]?.GetValue<string>() == documentId);
        }

        var result = new JsonObject();
        if (query["facets"] is JsonArray facets && facets.Count > 0)
        {
            var buckets = new JsonArray();
            foreach (var group in Documents.Values.GroupBy(d => d["documentId"]!.GetValue<string>()))
            {
                buckets.Add(new JsonObject { ["value"] = group.Key, ["count"] = group.Count() });
            }
            result["@search.facets"] = new JsonObject { ["documentId"] = buckets };
        }

        var search = query["search"]?.GetValue<string>();
        List<(JsonObject Document, double Score)> ranked;
        if ((search is null or "*") && query["vectorQueries"] is null)
        {
            ranked = [.. matches.OrderBy(d => d["id"]!.GetValue<string>(), StringComparer.Ordinal).Select(d => (d, 1.0))];
        }
        else
        {
            ranked = [.. SearchResults.Where(r => Documents.ContainsKey(r.Id)).Select(r => (Documents[r.Id], r.Score))];
        }
        var skip = query["skip"]?.GetValue<int>() ?? 0;
        var top = query["top"]?.GetValue<int>() ?? 50;
        var select = query["select"]?.GetValue<string>()?.Split(',');
        var value = new JsonArray();
        foreach (var (document, score) in ranked.Skip(skip).Take(top))
        {
            var hit = new JsonObject { ["@search.score"] = score };
            foreach (var (name, field) in document)
            {
                if (name != "vector" && (select is null || select.Contains(name)))
                {
                    hit[name] = field?.DeepClone();
                }
            }
            value.Add(hit);
        }
        result["value"] = value;
        return Json(HttpStatusCode.OK, result);
    }

    public static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Error(HttpStatusCode status, string message) =>
        Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = "", ["message"] = message } });

    [GeneratedRegex(@"^/indexes\('(?<name>[^']+)'\)$")]
    private static partial Regex IndexPath();

    [GeneratedRegex(@"^documentId eq '(?<value>(?:[^']|'')*)'$")]
    private static partial Regex FilterPattern();
}

internal sealed record RecordedRequest(string Method, string Path, string Query, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Body!)!;
}
