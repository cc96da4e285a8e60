namespace SemanticSearch.Indexing;

/// <summary>
/// Who is asking, as far as access trimming cares: the groups (and roles) the caller is in. A document with an ACL is
/// returned only to a caller in one of its groups; one without is returned to every caller.
/// </summary>
public sealed record Caller
{
    private Caller(IReadOnlyList<string> groups) => Groups = groups;

    /// <summary>A caller in no group: sees only documents without an ACL.</summary>
    public static Caller Anonymous { get; } = new([]);

    /// <summary>The groups, distinct and in ordinal order (so equal callers have equal cache keys).</summary>
    public IReadOnlyList<string> Groups { get; }

    public bool IsAnonymous => Groups.Count == 0;

    public static Caller InGroups(IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var distinct = groups.Where(g => !string.IsNullOrWhiteSpace(g)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return distinct.Count == 0 ? Anonymous : new Caller(distinct);
    }

    public bool Equals(Caller? other) => other is not null && Groups.SequenceEqual(other.Groups);

    public override int GetHashCode() => Groups.Count == 0 ? 0 : HashCode.Combine(Groups.Count, Groups[0]);
}
