using Azure.Search.Documents.Indexes.Models;
using F = SemanticSearch.AzureBackends.AzureAISearch.SearchChunkDocument;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// The index definition. The chunk fields: the chunk id as key (sortable, so listing can page in a stable order and
/// equal scores break by id), the document id filterable and facetable (stale chunks are found by filter, documents
/// listed by facet), the text searchable with an English analyzer (BM25 with stemming), the ordinal, and a hidden
/// vector field searched through an HNSW graph with the cosine metric, sized to the encoder's dimensions.
/// </summary>
/// <remarks>
/// <para>
/// The citation and filter fields: <c>title</c>, <c>source</c>, <c>url</c>, <c>contentType</c>, <c>headings</c> and
/// <c>page</c> are returned with hits; <c>modifiedAt</c>, <c>tags</c>, <c>folders</c> and <c>type</c> are filterable;
/// <c>acl</c> (the groups allowed to read the chunk) is filterable and hidden, so no response ever carries it, and
/// <c>aclPublic</c> says "no ACL" in a form a filter can test (an empty collection cannot be tested directly).
/// <c>metadataHash</c> lets a re-ingestion tell which kept chunks need their metadata merged.
/// </para>
/// <para>
/// The title is searchable but queries search only <c>content</c> (<c>searchFields</c>), so BM25 ranks what the
/// embedded index ranks and scores stay comparable. A field's attributes cannot be changed in place, only fields
/// added; being searchable already, the title can later join the ranking (with a scoring profile giving it a lower
/// weight) without rebuilding the index.
/// </para>
/// </remarks>
public static class SearchIndexSchema
{
    public const string VectorProfileName = "chunk-vector-profile";
    public const string HnswConfigurationName = "chunk-hnsw";

    /// <summary>Fields an index must have for this code to read and write it at all; without one it is rebuilt (if empty).</summary>
    private static readonly string[] RequiredFields = [F.IdField, F.DocumentIdField, F.OrdinalField, F.ContentField, F.VectorField];

    public static SearchIndex Create(string indexName, int dimensions, AzureAISearchIndexSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexName);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 2);
        settings ??= AzureAISearchIndexSettings.Default;
        var index = new SearchIndex(indexName)
        {
            Fields =
            {
                new SimpleField(F.IdField, SearchFieldDataType.String) { IsKey = true, IsFilterable = true, IsSortable = true },
                new SimpleField(F.DocumentIdField, SearchFieldDataType.String) { IsFilterable = true, IsFacetable = true },
                new SimpleField(F.OrdinalField, SearchFieldDataType.Int32),
                new SearchableField(F.ContentField) { AnalyzerName = settings.ContentAnalyzer },
                // Hidden: never sent back in results, which keeps responses small; the service still searches it.
                new VectorSearchField(F.VectorField, dimensions, VectorProfileName) { IsHidden = true },
            },
            VectorSearch = new VectorSearch
            {
                Profiles = { new VectorSearchProfile(VectorProfileName, HnswConfigurationName) },
                Algorithms =
                {
                    new HnswAlgorithmConfiguration(HnswConfigurationName)
                    {
                        // The service defaults (m 4, efConstruction 400, efSearch 500), stated so the definition says what it is.
                        Parameters = new HnswParameters { Metric = VectorSearchAlgorithmMetric.Cosine, M = 4, EfConstruction = 400, EfSearch = 500 },
                    },
                },
            },
        };
        foreach (var field in MetadataFields(settings))
        {
            index.Fields.Add(field);
        }
        return index;
    }

    /// <summary>The citation, filter and access fields, in the order the definition lists them.</summary>
    public static IReadOnlyList<SearchField> MetadataFields(AzureAISearchIndexSettings? settings = null)
    {
        settings ??= AzureAISearchIndexSettings.Default;
        var strings = SearchFieldDataType.Collection(SearchFieldDataType.String);
        return
        [
            new SearchableField(F.TitleField) { AnalyzerName = settings.ContentAnalyzer },
            new SimpleField(F.SourceField, SearchFieldDataType.String),
            new SimpleField(F.UrlField, SearchFieldDataType.String),
            new SimpleField(F.ContentTypeField, SearchFieldDataType.String),
            new SimpleField(F.HeadingsField, strings),
            new SimpleField(F.PageField, SearchFieldDataType.Int32),
            new SimpleField(F.ModifiedAtField, SearchFieldDataType.DateTimeOffset) { IsFilterable = true, IsSortable = true },
            new SimpleField(F.TagsField, strings) { IsFilterable = true, IsFacetable = true },
            new SimpleField(F.FoldersField, strings) { IsFilterable = true },
            new SimpleField(F.TypeField, SearchFieldDataType.String) { IsFilterable = true, IsFacetable = true },
            new SimpleField(F.AclField, strings) { IsFilterable = true, IsHidden = true },
            new SimpleField(F.AclPublicField, SearchFieldDataType.Boolean) { IsFilterable = true, IsHidden = true },
            new SimpleField(F.MetadataHashField, SearchFieldDataType.String),
        ];
    }

    /// <summary>The dimensions of an existing index's vector field, or null when it has none.</summary>
    public static int? VectorDimensions(SearchIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.Fields.FirstOrDefault(f => f.Name == F.VectorField)?.VectorSearchDimensions;
    }

    /// <summary>
    /// Whether an existing index has the chunk fields this code reads and writes. One that lacks only metadata fields
    /// is compatible: they are added in place (<see cref="MissingFields"/>).
    /// </summary>
    public static bool HasRequiredFields(SearchIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return RequiredFields.All(name => index.Fields.Any(f => f.Name == name));
    }

    /// <summary>
    /// The metadata fields an existing index lacks (one created before they existed). The service adds fields to an
    /// existing index in place — existing documents hold null in them until written again — but never changes or
    /// removes a field, so these are added and nothing else is touched.
    /// </summary>
    public static IReadOnlyList<SearchField> MissingFields(SearchIndex index, AzureAISearchIndexSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        return [.. MetadataFields(settings).Where(wanted => !index.Fields.Any(f => f.Name == wanted.Name))];
    }

    /// <summary>
    /// Metadata fields that exist with another type or without an attribute a filter or a hit needs. Attributes
    /// cannot be changed in place, so such an index must be rebuilt under a new name (or recreated while empty).
    /// </summary>
    public static IReadOnlyList<string> ConflictingFields(SearchIndex index, AzureAISearchIndexSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        var conflicts = new List<string>();
        foreach (var wanted in MetadataFields(settings))
        {
            var existing = index.Fields.FirstOrDefault(f => f.Name == wanted.Name);
            if (existing is null)
            {
                continue;
            }
            if (existing.Type != wanted.Type
                || wanted.IsFilterable == true && existing.IsFilterable != true
                || wanted.IsFacetable == true && existing.IsFacetable != true
                || wanted.IsHidden != true && existing.IsHidden == true)
            {
                conflicts.Add(wanted.Name);
            }
        }
        return conflicts;
    }
}
