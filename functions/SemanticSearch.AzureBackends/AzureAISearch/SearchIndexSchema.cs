using Azure.Search.Documents.Indexes.Models;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// The index definition: the chunk id as key (sortable, so listing can page in a stable order), the document id
/// filterable and facetable (stale chunks are found by filter, documents listed by facet), the text searchable with
/// an English analyzer (BM25 with stemming), the ordinal, and a hidden vector field searched through an HNSW graph
/// with the cosine metric, sized to the encoder's dimensions.
/// </summary>
public static class SearchIndexSchema
{
    public const string VectorProfileName = "chunk-vector-profile";
    public const string HnswConfigurationName = "chunk-hnsw";

    public static SearchIndex Create(string indexName, int dimensions, AzureAISearchIndexSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(indexName);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 2);
        settings ??= AzureAISearchIndexSettings.Default;
        return new SearchIndex(indexName)
        {
            Fields =
            {
                new SimpleField(SearchChunkDocument.IdField, SearchFieldDataType.String) { IsKey = true, IsFilterable = true, IsSortable = true },
                new SimpleField(SearchChunkDocument.DocumentIdField, SearchFieldDataType.String) { IsFilterable = true, IsFacetable = true },
                new SimpleField(SearchChunkDocument.OrdinalField, SearchFieldDataType.Int32),
                new SearchableField(SearchChunkDocument.ContentField) { AnalyzerName = settings.ContentAnalyzer },
                // Hidden: never sent back in results, which keeps responses small; the service still searches it.
                new VectorSearchField(SearchChunkDocument.VectorField, dimensions, VectorProfileName) { IsHidden = true },
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
    }

    /// <summary>The dimensions of an existing index's vector field, or null when it has none.</summary>
    public static int? VectorDimensions(SearchIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.Fields.FirstOrDefault(f => f.Name == SearchChunkDocument.VectorField)?.VectorSearchDimensions;
    }

    /// <summary>Whether an existing index has every field this code reads and writes.</summary>
    public static bool HasRequiredFields(SearchIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        string[] required = [SearchChunkDocument.IdField, SearchChunkDocument.DocumentIdField, SearchChunkDocument.OrdinalField, SearchChunkDocument.ContentField, SearchChunkDocument.VectorField];
        return required.All(name => index.Fields.Any(f => f.Name == name));
    }
}
