namespace SemanticSearch.Indexing;

/// <summary>
/// What narrows a search, applied inside retrieval — to the keyword and the vector candidates alike, before fusion —
/// so <c>top</c> results come back whenever that many match. Every condition must hold.
/// </summary>
/// <param name="Tags">Tags the document must all carry (lower case).</param>
/// <param name="Folder">A folder the source must sit in, on whole path segments ("a/b" matches "a/b/c.md", not "a/bc/d.md").</param>
/// <param name="Type">The file extension without the dot, lower case ("pdf").</param>
/// <param name="ModifiedAfter">Inclusive lower bound of the document's modification time.</param>
/// <param name="ModifiedBefore">Exclusive upper bound of the document's modification time.</param>
public sealed record SearchFilters(
    IReadOnlyList<string> Tags,
    string? Folder = null,
    string? Type = null,
    DateTimeOffset? ModifiedAfter = null,
    DateTimeOffset? ModifiedBefore = null)
{
    public static SearchFilters None { get; } = new([]);

    public bool IsEmpty => Tags.Count == 0 && Folder is null && Type is null && ModifiedAfter is null && ModifiedBefore is null;

    public bool Equals(SearchFilters? other) =>
        other is not null && Tags.SequenceEqual(other.Tags) && Folder == other.Folder && Type == other.Type
        && ModifiedAfter == other.ModifiedAfter && ModifiedBefore == other.ModifiedBefore;

    public override int GetHashCode() => HashCode.Combine(Tags.Count, Folder, Type, ModifiedAfter, ModifiedBefore);
}
