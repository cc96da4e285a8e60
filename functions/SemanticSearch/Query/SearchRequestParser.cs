using System.Globalization;
using SemanticSearch.Indexing;

namespace SemanticSearch.Query;

/// <summary>
/// Validates raw search parameters (from a query string, a JSON body or the command line) and names every parameter
/// that is wrong, so a bad request becomes a 400 that says what to fix, never a 500.
/// </summary>
public static class SearchRequestParser
{
    public const int MaxTags = 20;
    public const int MaxValueLength = 256;

    public static SearchRequestParseResult Parse(string? query, string? top, string? mode) =>
        Parse(new SearchParameters { Query = query, Top = top, Mode = mode });

    public static SearchRequestParseResult Parse(SearchParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        var text = parameters.Query?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors["q"] = ["The query 'q' is required and must not be blank."];
        }
        else if (text.Length > SearchRequest.MaxQueryLength)
        {
            errors["q"] = [$"The query 'q' has {text.Length} characters; at most {SearchRequest.MaxQueryLength} are allowed."];
        }

        var top = Integer(parameters.Top, "top", SearchRequest.DefaultTop, SearchRequest.MinTop, SearchRequest.MaxTop, errors);
        var skip = Integer(parameters.Skip, "skip", 0, 0, SearchRequest.MaxSkip, errors);

        var mode = SearchRequest.DefaultMode;
        if (parameters.Mode is not null && !TryParseMode(parameters.Mode, out mode))
        {
            errors["mode"] = [$"'mode' must be one of hybrid, vector, keyword; got '{Truncate(parameters.Mode)}'."];
        }

        var filters = Filters(parameters, errors);
        return errors.Count > 0
            ? new SearchRequestParseResult(null, errors)
            : new SearchRequestParseResult(new SearchRequest(text!, top, mode) { Skip = skip, Filters = filters! }, errors);
    }

    public static string ToParameter(RetrievalMode mode) => mode switch
    {
        RetrievalMode.Hybrid => "hybrid",
        RetrievalMode.Vector => "vector",
        RetrievalMode.Keyword => "keyword",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    private static SearchFilters? Filters(SearchParameters parameters, Dictionary<string, string[]> errors)
    {
        var tags = new List<string>();
        foreach (var raw in parameters.Tags)
        {
            var tag = raw?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(tag) || tag.Length > MaxValueLength || tag.Any(char.IsControl))
            {
                errors["tag"] = [$"Each 'tag' must be 1 to {MaxValueLength} printable characters; got '{Truncate(raw ?? string.Empty)}'."];
                break;
            }
            tags.Add(tag);
        }
        if (tags.Count > MaxTags)
        {
            errors["tag"] = [$"At most {MaxTags} 'tag' values are allowed; got {tags.Count}."];
        }

        string? folder = null;
        if (parameters.Folder is not null)
        {
            folder = parameters.Folder.Trim().Trim('/');
            var segments = folder.Split('/');
            if (folder.Length == 0 || folder.Length > MaxValueLength || folder.Contains('\\', StringComparison.Ordinal)
                || segments.Any(s => s.Length == 0 || s is "." or "..") || folder.Any(char.IsControl))
            {
                errors["folder"] = [$"'folder' must be a folder path like 'reports/2024' (segments separated by '/', no '.' or '..'); got '{Truncate(parameters.Folder)}'."];
            }
        }

        string? type = null;
        if (parameters.Type is not null)
        {
            type = parameters.Type.Trim().TrimStart('.').ToLowerInvariant();
            if (type.Length is 0 or > 16 || !type.All(char.IsAsciiLetterOrDigit))
            {
                errors["type"] = [$"'type' must be a file extension like 'pdf' or 'md' (letters and digits); got '{Truncate(parameters.Type)}'."];
            }
        }

        var after = Instant(parameters.ModifiedAfter, "modifiedAfter", errors);
        var before = Instant(parameters.ModifiedBefore, "modifiedBefore", errors);
        if (after is not null && before is not null && after >= before)
        {
            errors["modifiedBefore"] = ["'modifiedBefore' must be later than 'modifiedAfter'."];
        }

        return new SearchFilters([.. tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], folder, type, after, before);
    }

    private static int Integer(string? raw, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (raw is null)
        {
            return fallback;
        }
        if (int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors[name] = [$"'{name}' must be a whole number from {min} to {max}; got '{Truncate(raw)}'."];
        return fallback;
    }

    /// <summary>An ISO 8601 date or date and time; one without an offset is UTC.</summary>
    private static DateTimeOffset? Instant(string? raw, string name, Dictionary<string, string[]> errors)
    {
        if (raw is null)
        {
            return null;
        }
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm'Z'"];
        if (DateTimeOffset.TryParseExact(raw.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }
        errors[name] = [$"'{name}' must be an ISO 8601 date or time such as 2024-05-01 or 2024-05-01T12:00:00Z; got '{Truncate(raw)}'."];
        return null;
    }

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
