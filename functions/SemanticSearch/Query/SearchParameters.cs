namespace SemanticSearch.Query;

/// <summary>
/// Search parameters as a caller wrote them (a query string, a JSON body, the command line), not yet validated:
/// <see cref="SearchRequestParser.Parse"/> turns them into a <see cref="SearchRequest"/> or names what is wrong.
/// </summary>
public sealed record SearchParameters
{
    public string? Query { get; init; }

    public string? Top { get; init; }

    public string? Skip { get; init; }

    public string? Mode { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Folder { get; init; }

    public string? Type { get; init; }

    public string? ModifiedAfter { get; init; }

    public string? ModifiedBefore { get; init; }
}
