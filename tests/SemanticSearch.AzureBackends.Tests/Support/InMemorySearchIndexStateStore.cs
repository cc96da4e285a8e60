using SemanticSearch.AzureBackends.AzureAISearch;
using SemanticSearch.Indexing;

namespace SemanticSearch.AzureBackends.Tests.Support;

/// <summary>The index state in memory, for tests of the search index itself.</summary>
internal sealed class InMemorySearchIndexStateStore : ISearchIndexStateStore
{
    private readonly Lock _lock = new();

    public SearchIndexState? State { get; set; }

    public Task<SearchIndexState?> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(State);

    public Task<SearchIndexState> GetOrCreateAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            State ??= new SearchIndexState(encoder.ModelId, encoder.Dimensions, 0);
            return Task.FromResult(State);
        }
    }

    public Task<SearchIndexState> SetVectorSpaceAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            State = new SearchIndexState(encoder.ModelId, encoder.Dimensions, (State?.Generation ?? 0) + 1);
            return Task.FromResult(State);
        }
    }

    public Task<long> IncrementGenerationAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            State = State! with { Generation = State.Generation + 1 };
            return Task.FromResult(State.Generation);
        }
    }
}
