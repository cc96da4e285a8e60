using SemanticSearch.Indexing;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// What every instance must agree on about one Azure AI Search index but the index itself cannot hold safely: the
/// encoder that produced its vectors and a generation that grows with every change. Azure AI Search documents have
/// no ETags or transactions, so a counter kept in the index would lose increments when two instances write at once;
/// a store with conditional writes does not (see <see cref="CosmosDB.CosmosSearchIndexStateStore"/>).
/// </summary>
public interface ISearchIndexStateStore
{
    /// <summary>The state, or null when nothing was recorded yet.</summary>
    Task<SearchIndexState?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Records <paramref name="encoder"/> at generation 0 unless a state exists; returns what is stored.</summary>
    Task<SearchIndexState> GetOrCreateAsync(VectorSpace encoder, CancellationToken cancellationToken);

    /// <summary>Replaces the recorded encoder (only ever done for an empty index); bumps the generation.</summary>
    Task<SearchIndexState> SetVectorSpaceAsync(VectorSpace encoder, CancellationToken cancellationToken);

    /// <summary>Adds one to the generation, atomically with respect to every other instance; returns the new value.</summary>
    Task<long> IncrementGenerationAsync(CancellationToken cancellationToken);
}

/// <summary>The shared state of one index.</summary>
public sealed record SearchIndexState(string ModelId, int Dimensions, long Generation)
{
    public VectorSpace VectorSpace => new(ModelId, Dimensions);
}
