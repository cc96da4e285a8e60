using System.ComponentModel;

namespace SemanticSearch.Query;

/// <summary>
/// What the result cache stores for one request at one index generation. Immutable, so HybridCache hands the same
/// instance to every hit from its in-process tier instead of deserializing a copy each time.
/// </summary>
[ImmutableObject(true)]
public sealed record CachedSearchResults(long Generation, IReadOnlyList<SearchResult> Results);
