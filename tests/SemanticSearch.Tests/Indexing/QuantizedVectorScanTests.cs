using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Indexing;

namespace SemanticSearch.Tests.Indexing;

/// <summary>
/// The optional quantized vector scan (a 1-bit pre-filter, then exact rescoring of the best candidates) against the exact
/// scan, on the same index: how much of the exact top 10 it keeps, that its scores are the exact cosines, and that the
/// default is the exact scan.
/// </summary>
public sealed class QuantizedVectorScanTests : IDisposable
{
    private const int Dimensions = 384;
    private static readonly VectorSpace Encoder = new("random-test", Dimensions);
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task KeepsTheExactTopTenWithExactScoresWhenTheCandidatesAreEnough()
    {
        var random = new Random(7);
        var path = _folder.File("index");
        using (var writer = new EmbeddedSearchIndex(path))
        {
            await writer.InitializeAsync(Encoder, CancellationToken.None);
            for (var d = 0; d < 40; d++)
            {
                var chunks = Enumerable.Range(0, 50).Select(i => new IndexedChunk($"c{d:D2}-{i:D2}", $"doc{d:D2}", i, $"chunk {d} {i}", Unit(random))).ToList();
                await writer.ReplaceDocumentAsync($"doc{d:D2}", chunks, CancellationToken.None);
            }
            await writer.FlushAsync(CancellationToken.None);
        }
        using var exact = new EmbeddedSearchIndex(path, new EmbeddedIndexSettings());
        using var quantized = new EmbeddedSearchIndex(path, new EmbeddedIndexSettings(VectorSearch: VectorSearchMode.Quantized, RerankCandidates: 400));
        await exact.InitializeAsync(Encoder, CancellationToken.None);
        await quantized.InitializeAsync(Encoder, CancellationToken.None);

        int kept = 0, total = 0;
        for (var q = 0; q < 20; q++)
        {
            var query = new IndexQuery($"query {q}", Unit(random), RetrievalMode.Vector, 10);
            var truth = await exact.SearchAsync(query, CancellationToken.None);
            var approximate = await quantized.SearchAsync(query, CancellationToken.None);
            var exactScores = truth.ToDictionary(h => h.ChunkId, h => h.Score);
            foreach (var hit in approximate.Where(h => exactScores.ContainsKey(h.ChunkId)))
            {
                Assert.Equal(exactScores[hit.ChunkId], hit.Score, 5); // rescored exactly, not estimated from bits
                kept++;
            }
            total += truth.Count;
        }

        // 400 of 2,000 chunks rescored: on random vectors the 1-bit distance keeps nearly all of the true top ten.
        Assert.True(kept >= total * 0.95, $"kept {kept} of {total}");
        Assert.Equal(VectorSearchMode.Exact, new EmbeddedIndexSettings().VectorSearch);
        Assert.Null(new EmbeddedIndexSettings().RerankPoolFor(10_000_000));
    }

    public void Dispose() => _folder.Dispose();

    private static float[] Unit(Random random)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < Dimensions; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }
}
