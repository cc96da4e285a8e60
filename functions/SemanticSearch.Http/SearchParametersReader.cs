using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SemanticSearch.Query;

namespace SemanticSearch.Http;

/// <summary>
/// Reads search parameters from a query string (<c>?q=…&amp;tag=a&amp;tag=b</c>) or a JSON body (the same names;
/// <c>tag</c> a string or an array), as text, so the parser gives the same messages for both ("top": "x" and ?top=x).
/// </summary>
internal static class SearchParametersReader
{
    public static readonly string BodyTooLarge = $"The body is larger than {RequestLimits.MaxBodyBytes / 1024} KB; a search is a small JSON object.";

    public static SearchParameters FromQuery(IQueryCollection query) => new()
    {
        Query = Single(query, "q"),
        Top = Single(query, "top"),
        Skip = Single(query, "skip"),
        Mode = Single(query, "mode"),
        Tags = query.TryGetValue("tag", out var tags) ? [.. tags.Select(t => t ?? string.Empty)] : [],
        Folder = Single(query, "folder"),
        Type = Single(query, "type"),
        ModifiedAfter = Single(query, "modifiedAfter"),
        ModifiedBefore = Single(query, "modifiedBefore"),
    };

    /// <summary>
    /// The body's parameters, or the reason it cannot be read (reported as the parameter <c>body</c>); a body over
    /// <see cref="RequestLimits.MaxBodyBytes"/> is <see cref="BodyTooLarge"/>.
    /// </summary>
    public static async Task<(SearchParameters? Parameters, string? Error)> FromBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > RequestLimits.MaxBodyBytes)
        {
            return (null, BodyTooLarge);
        }
        try
        {
            // Read at most one byte past the limit, whatever the (possibly absent or false) Content-Length says.
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > RequestLimits.MaxBodyBytes)
                {
                    return (null, BodyTooLarge);
                }
            }
            buffer.Position = 0;
            using var document = await JsonDocument.ParseAsync(buffer, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object like {\"q\": \"text\", \"top\": 5, \"mode\": \"hybrid\"}.");
            }
            return (new SearchParameters
            {
                Query = Text(root, "q"),
                Top = Text(root, "top"),
                Skip = Text(root, "skip"),
                Mode = Text(root, "mode"),
                Tags = Texts(root, "tag"),
                Folder = Text(root, "folder"),
                Type = Text(root, "type"),
                ModifiedAfter = Text(root, "modifiedAfter"),
                ModifiedBefore = Text(root, "modifiedBefore"),
            }, null);
        }
        catch (JsonException ex)
        {
            return (null, $"The body is not valid JSON: {ex.Message}");
        }
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.ToString() : null;

    private static string? Text(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
    }

    /// <summary>A string or an array of values; any other value is passed on as text so the parser names it.</summary>
    private static IReadOnlyList<string> Texts(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        return value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText())]
            : [value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()];
    }
}
