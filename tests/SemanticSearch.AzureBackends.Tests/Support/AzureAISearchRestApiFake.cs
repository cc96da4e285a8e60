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
/// <remarks>
/// It refuses what the service refuses, so a request that passes here is well formed by the contract: an index update
/// that changes or removes an existing field (fields can only be added), an ETag precondition that no longer holds
/// (412), a <c>select</c> naming an unknown or hidden field, a filter on an unknown or non-filterable field or that
/// does not parse (see <see cref="ODataFilter"/>), an <c>orderby</c> on a non-sortable field, <c>highlight</c> or
/// <c>searchFields</c> on a non-searchable one, a facet on a non-facetable one, one highlight tag without the other,
/// and an unknown <c>vectorFilterMode</c>. Text hits come from <see cref="SearchResults"/> (in that order, which
/// stands for the service's arbitrary order among equal scores unless the request orders by score and id), filtered
/// by the request's filter; highlights mark the query's words in the content with the request's tags, unless
/// <see cref="Highlights"/> gives a hit's fragments.
/// </remarks>
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

    /// <summary>Fragments to send as a hit's <c>@search.highlights.content</c> instead of computing them.</summary>
    public Dictionary<string, List<string>> Highlights { get; } = new(StringComparer.Ordinal);

    private int _etag;

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
                "PUT" => CreateOrUpdate(request),
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

    private HttpResponseMessage CreateOrUpdate(RecordedRequest request)
    {
        var definition = JsonNode.Parse(request.Body!)!.AsObject();
        var created = IndexDefinition is null;
        if (request.Headers.TryGetValue("If-Match", out var ifMatch) && (created || ifMatch != (string?)IndexDefinition!["@odata.etag"]))
        {
            return Error(HttpStatusCode.PreconditionFailed, "The index has been modified since it was read.");
        }
        if (!created)
        {
            // The service adds fields in place but never changes or removes one.
            var now = Fields(definition);
            foreach (var (name, field) in Fields(IndexDefinition!))
            {
                if (!now.TryGetValue(name, out var updated))
                {
                    return Error(HttpStatusCode.BadRequest, $"Existing field '{name}' cannot be removed.");
                }
                if (!JsonNode.DeepEquals(Comparable(field), Comparable(updated)))
                {
                    return Error(HttpStatusCode.BadRequest, $"Existing field '{name}' cannot be changed: {field.ToJsonString()} → {updated.ToJsonString()}");
                }
            }
        }
        definition["@odata.etag"] = $"\"0x{++_etag}\"";
        IndexDefinition = definition;
        return Json(created ? HttpStatusCode.Created : HttpStatusCode.OK, definition);
    }

    /// <summary>A field's definition as the service compares it: attributes it fills in when omitted (null) left out.</summary>
    private static JsonObject Comparable(JsonObject field)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in field.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value is not null)
            {
                copy[name] = value.DeepClone();
            }
        }
        return copy;
    }

    private static Dictionary<string, JsonObject> Fields(JsonObject definition) =>
        definition["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => f!.AsObject(), StringComparer.Ordinal);

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
        var fields = IndexDefinition is null ? [] : Fields(IndexDefinition);
        bool Has(string field, string attribute) => fields.TryGetValue(field, out var definition) && definition[attribute]?.GetValue<bool>() == true;

        var select = query["select"]?.GetValue<string>()?.Split(',');
        foreach (var name in select ?? [])
        {
            if (!fields.ContainsKey(name))
            {
                return Error(HttpStatusCode.BadRequest, $"Invalid expression: Could not find a property named '{name}' on type 'search.document'.");
            }
            if (!Has(name, "retrievable"))
            {
                return Error(HttpStatusCode.BadRequest, $"Invalid expression: The field '{name}' is not retrievable.");
            }
        }
        foreach (var clause in (query["orderby"]?.GetValue<string>() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = clause.Split(' ')[0];
            if (name != "search.score()" && !Has(name, "sortable"))
            {
                return Error(HttpStatusCode.BadRequest, $"Invalid expression: '{name}' is not a sortable field.");
            }
        }
        var highlight = query["highlight"]?.GetValue<string>();
        var highlightFields = (highlight ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(h => h.Split('-')[0]).ToList();
        var searchFields = (query["searchFields"]?.GetValue<string>() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (highlightFields.Concat(searchFields).FirstOrDefault(name => !Has(name, "searchable")) is { } notSearchable)
        {
            return Error(HttpStatusCode.BadRequest, $"Field '{notSearchable}' is not searchable: it cannot be searched or highlighted.");
        }
        var preTag = query["highlightPreTag"]?.GetValue<string>();
        var postTag = query["highlightPostTag"]?.GetValue<string>();
        if (preTag is null != postTag is null)
        {
            return Error(HttpStatusCode.BadRequest, "highlightPreTag and highlightPostTag must be set together.");
        }
        if (query["vectorFilterMode"]?.GetValue<string>() is { } mode && mode is not ("preFilter" or "postFilter"))
        {
            return Error(HttpStatusCode.BadRequest, $"Unknown vectorFilterMode '{mode}'.");
        }

        IEnumerable<JsonObject> matches = Documents.Values;
        ODataFilter? filter = null;
        if (query["filter"]?.GetValue<string>() is { } filterText)
        {
            try
            {
                filter = ODataFilter.Parse(filterText, fields);
            }
            catch (FormatException ex)
            {
                return Error(HttpStatusCode.BadRequest, $"Invalid expression: {ex.Message} Parameter name: $filter");
            }
            matches = matches.Where(filter.Matches);
        }

        var result = new JsonObject();
        if (query["facets"] is JsonArray facets && facets.Count > 0)
        {
            foreach (var facet in facets)
            {
                var name = facet!.GetValue<string>().Split(',')[0];
                if (!Has(name, "facetable"))
                {
                    return Error(HttpStatusCode.BadRequest, $"Field '{name}' is not facetable.");
                }
            }
            // "field,count:N,sort:value|count|-count|-value": at most N buckets (the service's default is 10), by
            // descending count unless sorted by value (ordinal here; the service sorts by its term order).
            var parameters = facets[0]!.GetValue<string>().Split(',').Skip(1).Select(p => p.Split(':', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            var count = parameters.TryGetValue("count", out var c) ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : 10;
            var groups = matches.GroupBy(d => d["documentId"]!.GetValue<string>()).Select(g => (Value: g.Key, Count: g.Count()));
            groups = parameters.GetValueOrDefault("sort") switch
            {
                "value" => groups.OrderBy(g => g.Value, StringComparer.Ordinal),
                "-value" => groups.OrderByDescending(g => g.Value, StringComparer.Ordinal),
                "count" => groups.OrderBy(g => g.Count).ThenBy(g => g.Value, StringComparer.Ordinal),
                _ => groups.OrderByDescending(g => g.Count).ThenBy(g => g.Value, StringComparer.Ordinal),
            };
            var buckets = new JsonArray();
            foreach (var (term, size) in groups.Take(count))
            {
                buckets.Add(new JsonObject { ["value"] = term, ["count"] = size });
            }
            result["@search.facets"] = new JsonObject { ["documentId"] = buckets };
        }

        var search = query["search"]?.GetValue<string>();
        var vectorQuery = query["vectorQueries"]?.AsArray().FirstOrDefault();
        List<(JsonObject Document, double Score)> ranked;
        if ((search is null or "*") && vectorQuery is null)
        {
            ranked = [.. matches.OrderBy(d => d["id"]!.GetValue<string>(), StringComparer.Ordinal).Select(d => (d, 1.0))];
        }
        else
        {
            ranked = [.. SearchResults.Where(r => Documents.ContainsKey(r.Id) && (filter is null || filter.Matches(Documents[r.Id]))).Select(r => (Documents[r.Id], r.Score))];
            if (search is null && vectorQuery?["k"]?.GetValue<int>() is { } k)
            {
                // A pure vector query returns at most k hits.
                ranked = [.. ranked.Take(k)];
            }
            if (query["orderby"]?.GetValue<string>() == "search.score() desc,id asc")
            {
                ranked = [.. ranked.OrderByDescending(r => r.Score).ThenBy(r => r.Document["id"]!.GetValue<string>(), StringComparer.Ordinal)];
            }
        }
        var skip = query["skip"]?.GetValue<int>() ?? 0;
        var top = query["top"]?.GetValue<int>() ?? 50;
        var value = new JsonArray();
        foreach (var (document, score) in ranked.Skip(skip).Take(top))
        {
            var hit = new JsonObject { ["@search.score"] = score };
            var id = document["id"]!.GetValue<string>();
            if (highlightFields.Contains("content") && search is not null and not "*")
            {
                var fragments = Highlights.TryGetValue(id, out var given) ? given : Highlight(document["content"]?.GetValue<string>() ?? "", search, preTag ?? "<em>", postTag ?? "</em>");
                if (fragments.Count > 0)
                {
                    hit["@search.highlights"] = new JsonObject { ["content"] = new JsonArray([.. fragments.Select(f => (JsonNode)f)]) };
                }
            }
            foreach (var (name, field) in document)
            {
                // Hidden fields are never returned; without a select, every retrievable one is.
                if (Has(name, "retrievable") && (select is null || select.Contains(name)))
                {
                    hit[name] = field?.DeepClone();
                }
            }
            value.Add(hit);
        }
        result["value"] = value;
        return Json(HttpStatusCode.OK, result);
    }

    /// <summary>The content as one fragment with every word of the (simple syntax) query marked, or none when no word occurs.</summary>
    private static List<string> Highlight(string content, string search, string preTag, string postTag)
    {
        var terms = Regex.Replace(search, @"\\(.)", "$1").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.ToLowerInvariant()).ToHashSet();
        var marked = false;
        var fragment = Regex.Replace(content, @"\w+", m =>
        {
            if (!terms.Contains(m.Value.ToLowerInvariant()))
            {
                return m.Value;
            }
            marked = true;
            return preTag + m.Value + postTag;
        });
        return marked ? [fragment] : [];
    }

    public static HttpResponseMessage Json(HttpStatusCode status, JsonNode body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Error(HttpStatusCode status, string message) =>
        Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = "", ["message"] = message } });

    [GeneratedRegex(@"^/indexes\('(?<name>[^']+)'\)$")]
    private static partial Regex IndexPath();

}

internal sealed record RecordedRequest(string Method, string Path, string Query, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Body!)!;
}
