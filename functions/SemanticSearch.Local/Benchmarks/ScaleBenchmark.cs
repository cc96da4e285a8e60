using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;
using SemanticSearch.Embedded.Indexing;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Search latency as the embedded index grows, measured on <see cref="EmbeddedSearchIndex"/> directly. Embedding 100k
/// texts would take an hour on two cores, so the chunks are synthetic: real corpus sentences (each chunk a different
/// rotation of a corpus abstract, so BM25 sees real vocabulary and realistic posting lists) with real embeddings of a
/// few hundred corpus passages, each copy perturbed by Gaussian noise and renormalised (so no two vectors tie and the
/// scan does real work). Queries are real query texts with their real embeddings. Every mode runs with the exact vector
/// scan; a second reader of the same folder then runs the vector queries through the quantized scan (1-bit pre-filter,
/// exact rescoring) and its top 10 is compared with the exact one.
/// </summary>
internal sealed class ScaleBenchmark(BenchmarkCorpus corpus, IEmbeddingGenerator<string, Embedding<float>> generator, VectorSpace encoder, EmbeddedIndexSettings settings)
{
    public const string Section = "index size";
    private const int ChunksPerDocument = 100;
    private const int BaseVectors = 256;
    private const int Top = 10;

    public async Task<IReadOnlyList<ScalePoint>> RunAsync(string folder, IReadOnlyList<int> sizes, int queries, int repeats, Action<string> status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(status);
        BenchServices.Delete(folder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, EmbeddedSearchIndex.FolderName);
        using var index = new EmbeddedSearchIndex(path, settings with { VectorSearch = VectorSearchMode.Exact });
        await index.InitializeAsync(encoder, cancellationToken).ConfigureAwait(false);

        var passages = corpus.Documents.Take(BaseVectors).Select(d => $"{d.Title}\n{d.Text}").ToList();
        var bases = await generator.GenerateAsync(passages, new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage), cancellationToken).ConfigureAwait(false);
        var texts = corpus.NextQueries(queries);
        var queryVectors = await generator.GenerateAsync(texts, new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Query), cancellationToken).ConfigureAwait(false);

        var random = new Random(20240601);
        var points = new List<ScalePoint>();
        var built = 0;
        var building = TimeSpan.Zero;
        foreach (var size in sizes.Order())
        {
            while (built < size)
            {
                var count = Math.Min(ChunksPerDocument, size - built);
                var documentId = string.Create(CultureInfo.InvariantCulture, $"synthetic/{built / ChunksPerDocument:D6}-{built:D7}");
                var chunks = Enumerable.Range(built, count).Select(i => new IndexedChunk(
                    string.Create(CultureInfo.InvariantCulture, $"s{i:D7}"), documentId, i - built, Text(i), Perturb(bases[i % bases.Count].Vector.Span, random))).ToList();
                var started = Stopwatch.GetTimestamp();
                await index.ReplaceDocumentAsync(documentId, chunks, cancellationToken).ConfigureAwait(false);
                building += Stopwatch.GetElapsedTime(started);
                built += count;
                if (built % 5_000 == 0)
                {
                    status(string.Create(CultureInfo.InvariantCulture, $"Building a {size:N0}-chunk index: {built:N0}"));
                }
            }

            var committing = Stopwatch.GetTimestamp();
            await index.FlushAsync(cancellationToken).ConfigureAwait(false);
            building += Stopwatch.GetElapsedTime(committing);

            status(string.Create(CultureInfo.InvariantCulture, $"Searching a {size:N0}-chunk index"));
            var latency = new Dictionary<RetrievalMode, LatencySamples> { [RetrievalMode.Keyword] = new(), [RetrievalMode.Vector] = new(), [RetrievalMode.Hybrid] = new() };
            foreach (var mode in latency.Keys)
            {
                await index.SearchAsync(new IndexQuery(texts[0], queryVectors[0].Vector, mode, Top), cancellationToken).ConfigureAwait(false);
            }
            for (var repeat = 0; repeat < repeats; repeat++)
            {
                foreach (var (mode, samples) in latency)
                {
                    var milliseconds = new List<double>(texts.Count);
                    for (var q = 0; q < texts.Count; q++)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await index.SearchAsync(new IndexQuery(texts[q], queryVectors[q].Vector, mode, Top), cancellationToken).ConfigureAwait(false);
                        milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    samples.AddRepeat(milliseconds);
                }
            }
            var memory = MemorySnapshot.Capture();
            var (quantizedLatency, recall) = await QuantizedAsync(path, index, texts, queryVectors, repeats, cancellationToken).ConfigureAwait(false);
            points.Add(new ScalePoint(
                size, building.TotalSeconds,
                latency[RetrievalMode.Keyword].P50, latency[RetrievalMode.Keyword].P99,
                latency[RetrievalMode.Vector].P50, latency[RetrievalMode.Vector].P99,
                latency[RetrievalMode.Hybrid].P50, latency[RetrievalMode.Hybrid].P99,
                memory.WorkingSetMiB, memory.GcHeapMiB, quantizedLatency.P50, quantizedLatency.P99, recall));
        }
        return points;
    }

    /// <summary>Vector search through the quantized scan (a reader of its own, released afterwards), and its recall@10 against the exact scan.</summary>
    private async Task<(LatencySamples Latency, double RecallAt10)> QuantizedAsync(
        string path, EmbeddedSearchIndex exact, IReadOnlyList<string> texts, GeneratedEmbeddings<Embedding<float>> vectors, int repeats, CancellationToken cancellationToken)
    {
        using var quantized = new EmbeddedSearchIndex(path, settings with { VectorSearch = VectorSearchMode.Quantized });
        await quantized.InitializeAsync(encoder, cancellationToken).ConfigureAwait(false);
        var found = 0;
        for (var q = 0; q < texts.Count; q++)
        {
            var query = new IndexQuery(texts[q], vectors[q].Vector, RetrievalMode.Vector, Top);
            var truth = (await exact.SearchAsync(query, cancellationToken).ConfigureAwait(false)).Select(h => h.ChunkId).ToHashSet(StringComparer.Ordinal);
            found += (await quantized.SearchAsync(query, cancellationToken).ConfigureAwait(false)).Count(h => truth.Contains(h.ChunkId));
        }
        var latency = new LatencySamples();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var milliseconds = new List<double>(texts.Count);
            for (var q = 0; q < texts.Count; q++)
            {
                var started = Stopwatch.GetTimestamp();
                await quantized.SearchAsync(new IndexQuery(texts[q], vectors[q].Vector, RetrievalMode.Vector, Top), cancellationToken).ConfigureAwait(false);
                milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            latency.AddRepeat(milliseconds);
        }
        return (latency, (double)found / (texts.Count * Top));
    }

    /// <summary>The i-th synthetic chunk: a corpus abstract's sentences rotated by how often the corpus has been cycled.</summary>
    private string Text(int i)
    {
        var document = corpus.Document(i);
        var sentences = document.Text.Split(". ", StringSplitOptions.RemoveEmptyEntries);
        var shift = i / corpus.Documents.Count % Math.Max(sentences.Length, 1);
        return string.Join(". ", sentences.Skip(shift).Concat(sentences.Take(shift)));
    }

    private static float[] Perturb(ReadOnlySpan<float> vector, Random random)
    {
        var result = new float[vector.Length];
        double norm = 0;
        for (var d = 0; d < vector.Length; d++)
        {
            // Box–Muller; sigma 0.02 per dimension keeps a copy within cosine ~0.9 of its original.
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            result[d] = (float)(vector[d] + 0.02 * gaussian);
            norm += result[d] * result[d];
        }
        var scale = (float)(1 / Math.Sqrt(norm));
        for (var d = 0; d < result.Length; d++)
        {
            result[d] *= scale;
        }
        return result;
    }

    public static IEnumerable<BenchFigure> Figures(IEnumerable<ScalePoint> points) =>
        points.SelectMany(p =>
        {
            var size = p.Chunks.ToString("N0", CultureInfo.InvariantCulture);
            return new BenchFigure[]
            {
                new(Section, $"{size} chunks, keyword p50", "ms", p.KeywordP50),
                new(Section, $"{size} chunks, keyword p99", "ms", p.KeywordP99),
                new(Section, $"{size} chunks, vector p50", "ms", p.VectorP50),
                new(Section, $"{size} chunks, vector p99", "ms", p.VectorP99),
                new(Section, $"{size} chunks, hybrid p50", "ms", p.HybridP50),
                new(Section, $"{size} chunks, hybrid p99", "ms", p.HybridP99),
                new(Section, $"{size} chunks, vector quantized p50", "ms", p.QuantizedVectorP50 ?? p.VectorP50),
                new(Section, $"{size} chunks, vector quantized p99", "ms", p.QuantizedVectorP99 ?? p.VectorP99),
                new(Section, $"{size} chunks, vector quantized recall@10", "ratio", Summary.Of([p.QuantizedRecallAt10 ?? 1])),
                new(Section, $"{size} chunks, working set after build", "MiB", Summary.Of([p.WorkingSetMiB])),
            };
        });
}
