using Microsoft.Extensions.AI;
using SemanticSearch.Chunking;
using SemanticSearch.Embeddings;
using SemanticSearch.Extraction;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Local.Evaluation;

/// <summary>
/// Brings the index of a data folder in line with a corpus through the product's own ingestion pipeline
/// (<see cref="DocumentIngestor"/>: hash check, extraction, chunking, cached embedding, atomic replace), with the
/// content taken from memory. Documents of the index that are not in the corpus are deleted, so the scores are about
/// exactly this corpus.
/// </summary>
/// <remarks>
/// The ingestor embeds one document per encoder call, which for short documents means batches of one or two chunks.
/// With <c>batchAcrossDocuments</c>, each slice of documents is first extracted and chunked here and all its chunk
/// texts are embedded in one call through the embedding cache; the ingestor then finds every vector in the cache.
/// The chunks are the ingestor's own (same extractor, same chunker, same options), so nothing but batching changes.
/// </remarks>
public sealed class CorpusIngestion(
    DocumentIngestor ingestor,
    DocumentExtractor extractor,
    Chunker chunker,
    IEmbeddingGenerator<string, Embedding<float>> generator,
    ISearchIndex index)
{
    /// <summary>Documents pre-embedded together: large enough for full encoder batches, small enough for steady progress.</summary>
    public const int Slice = 64;

    private static readonly EmbeddingGenerationOptions PassageOptions = new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage);

    public async Task<CorpusIngestionSummary> IngestAsync(
        IReadOnlyList<BeirDocument> corpus,
        bool batchAcrossDocuments,
        IProgress<IngestionResult>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var started = TimeProvider.System.GetTimestamp();
        var preEmbedding = TimeSpan.Zero;
        var preComputed = 0;
        var results = new List<IngestionResult>(corpus.Count);

        var wanted = corpus.Select(d => CorpusDocuments.DocumentIdOf(d.Id)).ToHashSet(StringComparer.Ordinal);
        var deleted = 0;
        foreach (var stale in (await index.ListDocumentIdsAsync(cancellationToken).ConfigureAwait(false)).Where(id => !wanted.Contains(id)))
        {
            await ingestor.DeleteAsync(stale, cancellationToken).ConfigureAwait(false);
            deleted++;
        }

        foreach (var slice in corpus.Chunk(Slice))
        {
            var documents = slice.Select(d => (Id: CorpusDocuments.DocumentIdOf(d.Id), Bytes: CorpusDocuments.ToMarkdown(d))).ToList();
            if (batchAcrossDocuments)
            {
                var preStarted = TimeProvider.System.GetTimestamp();
                preComputed += await PreEmbedAsync(documents, cancellationToken).ConfigureAwait(false);
                preEmbedding += TimeProvider.System.GetElapsedTime(preStarted);
            }
            foreach (var (id, bytes) in documents)
            {
                using var content = new MemoryStream(bytes, writable: false);
                var result = await ingestor.IngestAsync(id, content, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                progress?.Report(result);
            }
        }

        return new CorpusIngestionSummary(
            corpus.Count,
            results.Count(r => r.Outcome == IngestionOutcome.Indexed),
            results.Count(r => r.Outcome == IngestionOutcome.Unchanged),
            results.Count(r => r.Outcome == IngestionOutcome.Failed),
            deleted,
            results.Where(r => r.Outcome is IngestionOutcome.Indexed or IngestionOutcome.Unchanged).Sum(r => r.Chunks),
            // The ingestor counts what the cross-document batches computed as reused; count them where they were made.
            results.Sum(r => r.EmbeddingsComputed) + preComputed,
            Math.Max(0, results.Sum(r => r.EmbeddingsReused) - preComputed),
            preEmbedding,
            TimeProvider.System.GetElapsedTime(started));
    }

    /// <returns>How many vectors the encoder computed (the rest came from the cache).</returns>
    private async Task<int> PreEmbedAsync(List<(string Id, byte[] Bytes)> documents, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        foreach (var (id, bytes) in documents)
        {
            try
            {
                texts.AddRange(chunker.Chunk(extractor.Extract(id, bytes, cancellationToken)).Select(c => c.Text));
            }
            catch (DocumentRejectedException)
            {
                // The ingestor records the rejection with its reason; there is simply nothing to pre-embed.
            }
        }
        if (texts.Count == 0)
        {
            return 0;
        }
        // Cached texts cost one batched cache read; only the misses reach the encoder, in full batches.
        var embeddings = await generator.GenerateAsync(texts, PassageOptions, cancellationToken).ConfigureAwait(false);
        return embeddings.AdditionalProperties?.TryGetValue(CachingEmbeddingGenerator.ComputedProperty, out var value) == true && value is int computed ? computed : texts.Count;
    }
}
