using Azure;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.Indexing;

namespace SemanticSearch.Functions.Tests.Support;

/// <summary>
/// The configured index behind a switch that makes opening it fail: with 403, as Azure answers while a new role
/// assignment propagates, or with any exception a test gives (an encoder mismatch). Everything else is the real index.
/// </summary>
internal sealed class FailingInitializationIndex(ISearchIndex inner) : ISearchIndex
{
    /// <summary>What opening the index throws; null opens it.</summary>
    public volatile Exception? Failure = new RequestFailedException(403, "This request is not authorized to perform this operation.", "AuthorizationFailure", null);

    public int Attempts;

    public string Name => inner.Name;

    /// <summary>Wraps the embedded index the app registers, and hands the wrapper to <paramref name="created"/>.</summary>
    public static void Replace(IServiceCollection services, Action<FailingInitializationIndex> created)
    {
        var original = services.Single(d => d.ServiceType == typeof(ISearchIndex) && Equals(d.ServiceKey, IndexProvider.Embedded));
        services.Remove(original);
        services.AddKeyedSingleton<ISearchIndex>(IndexProvider.Embedded, (sp, key) =>
        {
            var index = new FailingInitializationIndex((ISearchIndex)original.KeyedImplementationFactory!(sp, key));
            created(index);
            return index;
        });
    }

    public Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Attempts);
        return Failure is { } failure ? Task.FromException(failure) : inner.InitializeAsync(encoder, cancellationToken);
    }

    public Task<long> GetGenerationAsync(CancellationToken cancellationToken) => inner.GetGenerationAsync(cancellationToken);

    public Task<IndexChange> ReplaceDocumentAsync(string documentId, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken) =>
        inner.ReplaceDocumentAsync(documentId, chunks, cancellationToken);

    public Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken) => inner.DeleteDocumentAsync(documentId, cancellationToken);

    public Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken) => inner.CountChunksAsync(documentId, cancellationToken);

    public Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken) => inner.ListDocumentIdsAsync(cancellationToken);

    public Task<IReadOnlyList<SearchHit>> SearchAsync(IndexQuery query, CancellationToken cancellationToken) => inner.SearchAsync(query, cancellationToken);
}
