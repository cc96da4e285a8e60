using Microsoft.Extensions.AI;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;

namespace SemanticSearch.Ingestion;

/// <summary>
/// Embeds the chunks of several documents together — slices of up to <see cref="Slice"/> texts that span documents, so
/// short documents fill the encoder's batches — and hands each document its own vectors and its own counts of
/// computed and reused embeddings (from <see cref="BatchCachingEmbeddingGenerator.ComputedMask"/>).
/// </summary>
internal sealed class ChunkEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator)
{
    /// <summary>Chunk texts per call into the embedding pipeline: one cache read and one write per slice.</summary>
    public const int Slice = 256;

    private static readonly EmbeddingGenerationOptions PassageOptions = new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage);

    public async Task<IReadOnlyList<EmbeddedChunks>> EmbedAsync(IReadOnlyList<PreparedDocument> documents, CancellationToken cancellationToken)
    {
        var all = documents.SelectMany((d, document) => d.Chunks.Select(chunk => (Document: document, Chunk: chunk))).ToList();
        var indexed = documents.Select(d => new List<IndexedChunk>(d.Chunks.Count)).ToList();
        var computed = new int[documents.Count];
        foreach (var slice in all.Chunk(Slice))
        {
            var embeddings = await generator.GenerateAsync(slice.Select(c => c.Chunk.Text), PassageOptions, cancellationToken).ConfigureAwait(false);
            var mask = BatchCachingEmbeddingGenerator.ComputedMask(embeddings);
            for (var i = 0; i < slice.Length; i++)
            {
                var (document, chunk) = slice[i];
                var prepared = documents[document];
                indexed[document].Add(new IndexedChunk(chunk.Id, prepared.Status.DocumentId, chunk.Ordinal, chunk.Text, embeddings[i].Vector)
                {
                    Document = prepared.Metadata,
                    Headings = chunk.Headings,
                    Page = chunk.Page,
                });
                // Without a cache to say otherwise, every vector was computed.
                computed[document] += mask is null || mask[i] ? 1 : 0;
            }
        }
        return [.. indexed.Select((chunks, i) => new EmbeddedChunks(chunks, computed[i], chunks.Count - computed[i]))];
    }
}
