using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Local.Commands;
using Xunit.Abstractions;

namespace SemanticSearch.Local.Tests.Evaluation;

/// <summary>
/// A quick relevance sanity check on real data: a few hundred SciFact abstracts, the claims whose evidence is among
/// them, and the share of claims whose evidence ranks in the top 10. It guards against a broken encoder, tokenizer,
/// fusion or chunker, not against small regressions (the eval verb measures those on the full set).
/// </summary>
public sealed class SciFactSanityTests(ITestOutputHelper output) : IDisposable
{
    private const int Queries = 100;
    private const int Abstracts = 400;
    private readonly TempDirectory _data = new();

    [SciFactFact]
    public async Task EvidenceRanksInTheTopTenForMostClaims()
    {
        var folder = SciFactData.Folder!;
        var qrels = File.ReadLines(Path.Combine(folder, "qrels", "train.tsv")).Skip(1)
            .Select(line => line.Split('\t'))
            .Where(f => int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture) > 0)
            .GroupBy(f => f[0], f => f[1])
            .Take(Queries)
            .ToDictionary(g => g.Key, g => g.ToHashSet(StringComparer.Ordinal));
        var relevant = qrels.Values.SelectMany(v => v).ToHashSet(StringComparer.Ordinal);
        var corpus = File.ReadLines(Path.Combine(folder, "corpus.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (Id: e.GetProperty("_id").GetString()!, Title: e.GetProperty("title").GetString()!, Text: e.GetProperty("text").GetString()!))
            .ToList();
        // The evidence plus distractors, taken in corpus order, to a few hundred abstracts.
        var documents = corpus.Where(d => relevant.Contains(d.Id)).Concat(corpus.Where(d => !relevant.Contains(d.Id)).Take(Abstracts - relevant.Count)).ToList();
        var claims = File.ReadLines(Path.Combine(folder, "queries.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => e.GetProperty("_id").GetString()!, e => e.GetProperty("text").GetString()!);

        await using var services = await CommandServices.BuildAsync(new Dictionary<string, string?> { ["Data:Path"] = _data.Path }, CancellationToken.None);
        var ingestor = services.GetRequiredService<DocumentIngestor>();
        foreach (var (id, title, text) in documents)
        {
            using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"# {title}\n\n{text}"));
            Assert.Equal(IngestionOutcome.Indexed, (await ingestor.IngestAsync(id + ".md", content, CancellationToken.None)).Outcome);
        }

        var index = services.GetRequiredService<ISearchIndex>();
        var generator = services.GetRequiredService<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>();
        var found = new Dictionary<RetrievalMode, int>();
        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            foreach (var (queryId, evidence) in qrels)
            {
                var vector = (await generator.GenerateAsync([claims[queryId]]))[0].Vector;
                var hits = await index.SearchAsync(new IndexQuery(claims[queryId], vector, mode, 30), CancellationToken.None);
                var top10 = hits.Select(h => h.DocumentId[..^3]).Distinct().Take(10);
                found[mode] = found.GetValueOrDefault(mode) + (top10.Any(evidence.Contains) ? 1 : 0);
            }
            output.WriteLine($"{mode}: evidence in top 10 for {found[mode]} of {qrels.Count} claims over {documents.Count} abstracts");
        }

        Assert.True(found[RetrievalMode.Keyword] >= 0.75 * qrels.Count, $"keyword {found[RetrievalMode.Keyword]}");
        Assert.True(found[RetrievalMode.Vector] >= 0.75 * qrels.Count, $"vector {found[RetrievalMode.Vector]}");
        Assert.True(found[RetrievalMode.Hybrid] >= Math.Max(found[RetrievalMode.Keyword], found[RetrievalMode.Vector]) - 3, "hybrid should not trail the better single mode");
    }

    public void Dispose() => _data.Dispose();
}
