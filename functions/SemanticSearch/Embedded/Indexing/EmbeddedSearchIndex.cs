using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using SemanticSearch.Indexing;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// The search index of the embedded default, on Lucene.NET: one Lucene document per chunk with its text (BM25 with exact
/// chunk lengths), its citation, its filter terms and its vector. Keyword search is Lucene's; vector search scans the
/// vectors of each segment from memory (<see cref="VectorScan"/>); hybrid fuses both with weighted reciprocal rank
/// fusion. Filters and access trimming apply inside both retrievals, before fusion. A document's replacement is one
/// Lucene operation, so no reader — in this process or another — sees half of it. Changes are visible to this process
/// at once and become durable, and visible to other processes, at <see cref="FlushAsync"/> (see
/// <see cref="LuceneIndexStore"/> for writers, readers and the generation).
/// </summary>
public sealed class EmbeddedSearchIndex : ISearchIndex, IDisposable
{
    /// <summary>The folder of the index inside the data folder.</summary>
    public const string FolderName = "index";

    private static readonly Sort ScoreThenChunkId = new(SortField.FIELD_SCORE, new SortField(ChunkFields.ChunkId, SortFieldType.STRING));

    private readonly ChunkAnalyzer _analyzer = new();
    private readonly KeywordQuery _keywords;
    private readonly LuceneIndexStore _store;
    private readonly EmbeddedIndexSettings _settings;

    /// <param name="folder">The index's own folder (created if missing).</param>
    public EmbeddedSearchIndex(string folder, EmbeddedIndexSettings? settings = null)
    {
        _settings = settings ?? EmbeddedIndexSettings.Default;
        _keywords = new KeywordQuery(_analyzer);
        _store = new LuceneIndexStore(folder, _analyzer, _settings.EffectiveWriterLockTimeout);
    }

    public string Name => "embedded";

    public Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        _store.Initialize(encoder);
        return Task.CompletedTask;
    }

    public Task<long> GetGenerationAsync(CancellationToken cancellationToken) => Task.FromResult(_store.Generation);

    public async Task<IndexChange> ReplaceDocumentAsync(string documentId, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(chunks);
        var dimensions = RequireInitialized().Dimensions;
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            if (chunk.DocumentId != documentId)
            {
                throw new ArgumentException($"Chunk {chunk.ChunkId} belongs to {chunk.DocumentId}, not {documentId}.", nameof(chunks));
            }
            if (chunk.Vector.Length != dimensions)
            {
                throw new ArgumentException($"Chunk {chunk.ChunkId} has {chunk.Vector.Length} dimensions; the index holds {dimensions}.", nameof(chunks));
            }
            if (!wanted.TryAdd(chunk.ChunkId, ChunkFields.FingerprintOf(chunk)))
            {
                throw new ArgumentException($"Chunk id {chunk.ChunkId} occurs twice in {documentId}.", nameof(chunks));
            }
        }

        int added = 0, removed = 0;
        var generation = await _store.WriteAsync(documentId, (writer, searcher) =>
        {
            var existing = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var doc in searcher is null ? [] : DocumentTerms.ChunksOf(searcher.IndexReader, documentId))
            {
                var (chunkId, fingerprint) = ChunkFields.IdentityOf(searcher!.Doc(doc, ChunkFields.IdentityFields));
                existing[chunkId] = fingerprint;
            }
            added = wanted.Keys.Count(id => !existing.ContainsKey(id));
            removed = existing.Keys.Count(id => !wanted.ContainsKey(id));
            // Kept chunks whose title, tags, ACL, headings, page or place changed are rewritten too (fingerprint).
            if (added == 0 && removed == 0 && wanted.All(w => existing[w.Key] == w.Value))
            {
                return false;
            }
            var term = new Term(ChunkFields.DocumentId, documentId);
            if (chunks.Count == 0)
            {
                writer.DeleteDocuments(term);
            }
            else
            {
                // Delete-by-term and add in one call: no reader can see the document half-replaced.
                writer.UpdateDocuments(term, [.. chunks.Select(ChunkFields.ToDocument)]);
            }
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return new IndexChange(added, removed, generation);
    }

    public Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken) =>
        ReplaceDocumentAsync(documentId, [], cancellationToken);

    /// <summary>Commits what this process changed: durable, and visible to other processes (one fsync for the batch).</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _store.CommitAsync(cancellationToken);

    public Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken)
    {
        using var lease = _store.Acquire();
        return Task.FromResult(lease.Searcher is { } searcher ? DocumentTerms.ChunksOf(searcher.IndexReader, documentId).Count : 0);
    }

    public Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken)
    {
        using var lease = _store.Acquire();
        return Task.FromResult<IReadOnlyList<string>>(lease.Searcher is { } searcher ? DocumentTerms.DocumentIds(searcher.IndexReader) : []);
    }

    /// <summary>Chunks currently indexed (for the command line, health output and tests).</summary>
    public long CountChunks()
    {
        using var lease = _store.Acquire();
        return lease.Searcher?.IndexReader.NumDocs ?? 0;
    }

    public Task<IReadOnlyList<SearchHit>> SearchAsync(IndexQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Top, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        var vectors = RequireInitialized();
        if (query.Mode != RetrievalMode.Keyword && query.Vector is null)
        {
            throw new ArgumentException($"A {query.Mode} search needs the query vector.", nameof(query));
        }

        using var lease = _store.Acquire();
        if (lease.Searcher is not { } searcher)
        {
            return Task.FromResult<IReadOnlyList<SearchHit>>([]);
        }
        // Each list collects at least skip + top, so a page is a slice of the ranking of everything above it.
        var window = query.Skip + query.Top;
        var depth = query.Mode == RetrievalMode.Hybrid ? Math.Max(window, _settings.CandidateDepth) : window;
        var filter = ChunkFilter.Create(query.Filters, query.Caller);
        var terms = _keywords.Terms(query.Text);
        var order = new ChunkIdOrder(searcher.IndexReader);
        var ranked = query.Mode switch
        {
            RetrievalMode.Keyword => Keyword(searcher, terms, filter, depth),
            RetrievalMode.Vector => Vector(searcher, vectors, query.Vector!.Value, filter, depth, order),
            _ => Fuse(Keyword(searcher, terms, filter, depth), Vector(searcher, vectors, query.Vector!.Value, filter, depth, order), order),
        };

        var highlighted = terms.ToHashSet(StringComparer.Ordinal);
        var hits = new List<SearchHit>(query.Top);
        foreach (var candidate in ranked.Skip(query.Skip).Take(query.Top))
        {
            var stored = searcher.Doc(candidate.Doc, ChunkFields.HitFields);
            var content = stored.Get(ChunkFields.Content, CultureInfo.InvariantCulture) ?? string.Empty;
            hits.Add(ChunkFields.ToHit(stored, candidate.Score, Highlighter.Fragments(_analyzer, highlighted, content)));
        }
        return Task.FromResult<IReadOnlyList<SearchHit>>(hits);
    }

    public void Dispose()
    {
        _store.Dispose();
        _analyzer.Dispose();
        _keywords.Dispose();
    }

    private static List<Candidate> Keyword(IndexSearcher searcher, IReadOnlyList<string> terms, Filter filter, int depth)
    {
        if (KeywordQuery.Create(terms) is not { } query)
        {
            return [];
        }
        // Equal scores are ordered by chunk id, so pages are stable.
        var collector = TopFieldCollector.Create(ScoreThenChunkId, depth, fillFields: false, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        searcher.Search(query, filter, collector);
        return [.. collector.GetTopDocs().ScoreDocs.Select(d => new Candidate(d.Doc, d.Score))];
    }

    private List<Candidate> Vector(IndexSearcher searcher, SegmentVectorCache vectors, ReadOnlyMemory<float> vector, Filter filter, int depth, ChunkIdOrder order) =>
        VectorScan.Nearest(searcher, vectors, vector.Span, filter, depth, _settings.RerankPoolFor(searcher.IndexReader.NumDocs), order);

    /// <summary>Weighted RRF over the two lists; equal fused scores ordered by chunk id.</summary>
    private List<Candidate> Fuse(List<Candidate> keyword, List<Candidate> vector, ChunkIdOrder order)
    {
        var fused = ReciprocalRankFusion.Fuse<int>(
            [[.. keyword.Select(c => c.Doc)], [.. vector.Select(c => c.Doc)]],
            _settings.RrfK,
            [_settings.KeywordWeight, _settings.VectorWeight]);
        var ranked = fused.Select(f => new Candidate(f.Key, f.Score)).ToList();
        ranked.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : order.Compare(a.Doc, b.Doc));
        return ranked;
    }

    private SegmentVectorCache RequireInitialized() =>
        _store.Vectors ?? throw new InvalidOperationException("The index is not initialized: call InitializeAsync with the encoder identity first.");
}
