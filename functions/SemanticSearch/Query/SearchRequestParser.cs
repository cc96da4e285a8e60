using System.Globalization;
using SemanticSearch.Indexing;

namespace SemanticSearch.Query;

/// <summary>
/// Validates raw search parameters (from a query string, a JSON body or the command line) and names every parameter
/// that is wrong, so a bad request becomes a 400 that says what to fix, never a 500.
/// </summary>
public static class SearchRequestParser
{
    public static SearchRequestParseResult Parse(string? query, string? top, string? mode)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        var text = query?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors["q"] = ["The query 'q' is required and must not be blank."];
        }
        else if (text.Length > SearchRequest.MaxQueryLength)
        {
            errors["q"] = [$"The query 'q' has {text.Length} characters; at most {SearchRequest.MaxQueryLength} are allowed."];
        }

        var topValue = SearchRequest.DefaultTop;
        if (top is not null
            && (!int.TryParse(top.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out topValue)
                || topValue < SearchRequest.MinTop || topValue > SearchRequest.MaxTop))
        {
            errors["top"] = [$"'top' must be a whole number from {SearchRequest.MinTop} to {SearchRequest.MaxTop}; got '{Truncate(top)}'."];
        }

        var modeValue = SearchRequest.DefaultMode;
        if (mode is not null && !TryParseMode(mode, out modeValue))
        {
            errors["mode"] = [$"'mode' must be one of hybrid, vector, keyword; got '{Truncate(mode)}'."];
        }

        return errors.Count > 0
            ? new SearchRequestParseResult(null, errors)
            : new SearchRequestParseResult(new SearchRequest(text!, topValue, modeValue), errors);
    }

    public static string ToParameter(RetrievalMode mode) => mode switch
    {
        RetrievalMode.Hybrid => "hybrid",
        RetrievalMode.Vector => "vector",
        RetrievalMode.Keyword => "keyword",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    private static bool TryParseMode(string value, out RetrievalMode mode)
    {
        foreach (var candidate in Enum.GetValues<RetrievalMode>())
        {
            if (string.Equals(ToParameter(candidate), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }
        mode = default;
        return false;
    }

    /// <summary>Echo enough of a bad value to recognise it, never a whole megabyte of it.</summary>
    private static string Truncate(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");
}

/// <summary>Either a request or the errors, keyed by parameter name.</summary>
public sealed record SearchRequestParseResult(SearchRequest? Request, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Request is not null;
}
