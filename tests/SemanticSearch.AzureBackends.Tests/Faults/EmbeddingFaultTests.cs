using System.Diagnostics;
using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.AzureBackends.AzureOpenAI;
using SemanticSearch.Configuration;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Query;
using SemanticSearch.Sync;
using Xunit.Abstractions;

namespace SemanticSearch.AzureBackends.Tests.Faults;

/// <summary>
/// Fault suite (a): the Azure OpenAI embeddings endpoint fails a seeded 20 % of requests — 429 with Retry-After, 500,
/// 503, or a dropped connection — while a corpus is synced through the product's composition (DocumentSync →
/// DocumentIngestor → embedding cache → AzureOpenAIEmbeddingGenerator and its client retry policy). Every document must
/// end indexed with the chunks of a clean run, every text must be embedded exactly once (counted at the server, among
/// the requests it answered), and no chunk may be indexed twice.
/// </summary>
public sealed class EmbeddingFaultTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20260511;
    private const int Dimensions = 64;
    private const string Query = "glacier sediment measured";

    private readonly TempDirectory _root = new();

    private static readonly FaultKind[] Kinds = [FaultKind.Throttled, FaultKind.InternalError, FaultKind.Unavailable, FaultKind.Dropped];

    [Fact]
    public async Task TwentyPercentOfEmbeddingRequestsFailingLosesNoDocumentAndEmbedsNoTextTwice()
    {
        var corpus = FaultCorpus.Create(documents: 60, copies: 6, seed: Seed);
        var source = new InMemoryDocumentSource("fault corpus", corpus);

        var clean = await SyncAsync("clean", source, new FaultInjector(Seed, 0, Kinds));
        var injector = new FaultInjector(Seed, 0.20, Kinds);
        var watch = Stopwatch.StartNew();
        var faulty = await SyncAsync("faulty", source, injector);
        watch.Stop();

        output.WriteLine($"corpus: {corpus.Count} documents, {clean.Summary.Chunks} chunks, {clean.Summary.EmbeddingsComputed} distinct texts");
        output.WriteLine($"clean run: {clean.Server.Requests.Count} requests");
        output.WriteLine($"faulty run: {injector.Describe()}");
        output.WriteLine($"faulty run: {faulty.Retry.Retries} retries by the client pipeline; production back-off would have slept {faulty.Retry.ProductionWait.TotalSeconds:F1} s " +
            $"(shortest after a 429: {faulty.Retry.ShortestThrottledWait?.TotalSeconds:F2} s), this test slept 1/50 of it; {watch.Elapsed.TotalSeconds:F1} s in all");
        output.WriteLine($"faulty run: {faulty.Summary.Count(IngestionOutcome.Indexed)} indexed, {faulty.Summary.Errors} errors, " +
            $"{faulty.Summary.EmbeddingsComputed} embeddings computed, {faulty.Summary.EmbeddingsReused} reused, documents lost: {corpus.Count - faulty.Summary.Count(IngestionOutcome.Indexed)}");

        foreach (var failed in faulty.Summary.Results.Where(r => r.Outcome == IngestionOutcome.Failed))
        {
            output.WriteLine($"failed: {failed.DocumentId}: {failed.Error}");
        }
        // Faults of every kind were injected, and retried.
        Assert.All(Kinds, kind => Assert.True(injector.InjectedOf(kind) > 0, $"no {kind} fault was injected"));
        Assert.All(faulty.Server.Requests, r => Assert.Equal(200, r.Status));
        Assert.Equal(injector.Requests - injector.Injected, faulty.Server.Requests.Count);
        Assert.True(faulty.Retry.Retries >= injector.Injected, $"{faulty.Retry.Retries} retries for {injector.Injected} faults");
        Assert.True(faulty.Retry.ShortestThrottledWait >= TimeSpan.FromSeconds(0.99), "a 429's Retry-After must be waited out");

        // Every document indexed, with exactly the chunks of the clean run.
        Assert.Equal(corpus.Count, faulty.Summary.Count(IngestionOutcome.Indexed));
        Assert.Equal(0, faulty.Summary.Errors);
        Assert.Equal(clean.Chunks, faulty.Chunks);
        Assert.Equal(clean.Summary.Results.ToDictionary(r => r.DocumentId, r => r.Chunks), faulty.Chunks);

        // No text embedded twice: the inputs the server answered are distinct, and exactly the clean run's.
        var served = faulty.Server.InputsServed.Where(t => t != Query).ToList();
        Assert.Equal(served.Count, served.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(clean.Server.InputsServed.Where(t => t != Query).Order(StringComparer.Ordinal), served.Order(StringComparer.Ordinal));
        Assert.Equal(faulty.Summary.EmbeddingsComputed, served.Count);
        Assert.Equal(clean.Summary.EmbeddingsComputed, faulty.Summary.EmbeddingsComputed);
        Assert.Equal(faulty.Summary.Chunks - served.Count, faulty.Summary.EmbeddingsReused);

        // The same vectors: the same query ranks the same chunks with the same scores.
        Assert.Equal(clean.Answer, faulty.Answer);
    }

    private async Task<Run> SyncAsync(string name, InMemoryDocumentSource source, FaultInjector faults)
    {
        await using var server = new FakeAzureOpenAIServer(Dimensions);
        // Azure OpenAI sends both on a 429.
        await using var proxy = await FaultInjectingProxy.StartAsync(server.Endpoint, faults);
        proxy.ThrottleHeaders["Retry-After"] = "1";
        proxy.ThrottleHeaders["retry-after-ms"] = "1000";
        var retry = new CompressedRetryPolicy(AzureOpenAIEmbeddingGenerator.MaxRetries, scale: 1.0 / 50);
        var settings = new Dictionary<string, string?>
        {
            ["Data:Path"] = _root.File(name),
            ["Encoder:Provider"] = "AzureOpenAI",
            ["Encoder:BatchSize"] = "4",
            ["Encoder:AzureOpenAI:Endpoint"] = proxy.Endpoint.AbsoluteUri,
            ["Encoder:AzureOpenAI:Deployment"] = "embeddings",
            ["Encoder:AzureOpenAI:Model"] = "text-embedding-3-small",
            ["Encoder:AzureOpenAI:Dimensions"] = Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Encoder:AzureOpenAI:ApiKey"] = "local-test-key",
        };
        await using var services = await SemanticSearchHost.BuildAsync(settings, configure: s =>
            s.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(EncoderProvider.AzureOpenAI, (sp, _) =>
            {
                var options = AzureOpenAIEmbeddingGenerator.CreateClientOptions();
                options.RetryPolicy = retry;
                var configured = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SemanticSearchOptions>>().Value.Encoder;
                return new AzureOpenAIEmbeddingGenerator(configured.AzureOpenAI, configured.BatchSize,
                    () => throw new InvalidOperationException("An API key is configured."), options);
            }));

        var summary = await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, CancellationToken.None);

        var index = services.GetRequiredService<ISearchIndex>();
        var chunks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in await index.ListDocumentIdsAsync(CancellationToken.None))
        {
            chunks[id] = await index.CountChunksAsync(id, CancellationToken.None);
        }
        faults.Disable();
        var response = await services.GetRequiredService<SearchService>()
            .SearchAsync(new SearchRequest(Query, 10, RetrievalMode.Vector), CancellationToken.None);
        var answer = response.Results.Select(r => $"{r.ChunkId} {r.Score:F6}").ToList();
        return new Run(summary, chunks, answer, server, retry);
    }

    private sealed record Run(SyncSummary Summary, Dictionary<string, int> Chunks, List<string> Answer, FakeAzureOpenAIServer Server, CompressedRetryPolicy Retry);

    public void Dispose() => _root.Dispose();
}
