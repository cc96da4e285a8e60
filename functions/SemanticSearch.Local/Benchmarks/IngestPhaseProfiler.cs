using System.Diagnostics;
using Microsoft.Extensions.AI;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;
using SemanticSearch.Embedded.Onnx;
using SemanticSearch.Extraction;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Where a cold ingest spends its time: the steps of <see cref="DocumentIngestor"/> replayed one by one with the
/// product's own components (same extractor, chunker, cache store, encoder and index, one document at a time as the
/// ingestor works), each under a stopwatch. Tokenizing is timed on its own and taken out of the encoder's time.
/// </summary>
internal static class IngestPhaseProfiler
{
    public static async Task<IReadOnlyList<PhaseTiming>> RunAsync(string docsFolder, string dataFolder, CancellationToken cancellationToken)
    {
        BenchServices.Delete(dataFolder);
        await using var services = await BenchServices.BuildAsync(dataFolder, cancellationToken).ConfigureAwait(false);
        var extractor = services.GetRequiredService<DocumentExtractor>();
        var chunker = services.GetRequiredService<Chunker>();
        var tokenizer = services.GetRequiredService<MiniLmTokenizer>();
        var encoder = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(SemanticSearchServiceKeys.UncachedEmbeddingGenerator);
        var store = services.GetRequiredService<IEmbeddingCacheStore>();
        var index = services.GetRequiredService<ISearchIndex>();
        var statuses = services.GetRequiredService<IDocumentStatusStore>();
        var description = VectorSpace.Of(services.GetRequiredService<EmbeddingGeneratorMetadata>());
        var passage = new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage);

        var clock = new PhaseClock();
        var files = Directory.GetFiles(docsFolder).Order(StringComparer.Ordinal).ToList();
        foreach (var (file, number) in files.Select((f, i) => (f, i + 1)))
        {
            var documentId = Path.GetFileName(file);
            var bytes = await clock.TimeAsync("read", async () =>
            {
                await using var stream = File.OpenRead(file);
                return await extractor.ReadAsync(documentId, stream, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            await clock.TimeAsync("hash + status check", async () =>
            {
                ContentHash.Of(bytes);
                return await statuses.GetAsync(documentId, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            var document = clock.Time("extract", () => extractor.Extract(documentId, bytes, cancellationToken));
            var chunks = clock.Time("chunk", () => chunker.Chunk(document));
            var keys = chunks.Select(c => EmbeddingCacheKey.Create(description.ModelId, description.Dimensions, EmbeddingInputKind.Passage, c.Text)).ToList();
            var found = await clock.TimeAsync("embedding-cache lookup", () => store.GetManyAsync(keys, cancellationToken)).ConfigureAwait(false);
            var missing = chunks.Where((_, i) => !found.ContainsKey(keys[i])).Select(c => c.Text).ToList();
            var tokenizing = clock.Time("tokenize", () =>
            {
                var started = Stopwatch.GetTimestamp();
                foreach (var text in missing)
                {
                    tokenizer.EncodeForModel(text, OnnxEmbeddingGenerator.MaxSequenceLength);
                }
                return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            });
            var started = Stopwatch.GetTimestamp();
            var embeddings = await encoder.GenerateAsync(missing, passage, cancellationToken).ConfigureAwait(false);
            clock.Add("encode (model)", Math.Max(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds - tokenizing));
            var computed = missing.Select((text, i) => KeyValuePair.Create(EmbeddingCacheKey.Create(description.ModelId, description.Dimensions, EmbeddingInputKind.Passage, text), embeddings[i].Vector.ToArray())).ToList();
            await clock.TimeAsync("embedding-cache write", async () =>
            {
                await store.SetManyAsync(computed, cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
            var vectors = computed.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
            var indexed = chunks.Select((c, i) => new IndexedChunk(c.Id, documentId, c.Ordinal, c.Text, found.TryGetValue(keys[i], out var v) ? v : vectors[keys[i]])).ToList();
            await clock.TimeAsync("index write", () => index.ReplaceDocumentAsync(documentId, indexed, cancellationToken)).ConfigureAwait(false);
            if (number % new IngestionOptions().BatchDocuments == 0 || number == files.Count)
            {
                // The ingestor commits the index once per batch, before it records the batch's statuses.
                await clock.TimeAsync("index commit (one per batch)", async () =>
                {
                    await index.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return 0;
                }).ConfigureAwait(false);
            }
            await clock.TimeAsync("status write", async () =>
            {
                await statuses.SetAsync(DocumentStatus.Pending(documentId, DateTimeOffset.UtcNow, "profile", "profile", null).ToIndexed(chunks.Count, missing.Count, chunks.Count - missing.Count, DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
        }
        return clock.PerItem(files.Count);
    }
}
