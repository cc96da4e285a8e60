using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.Tests.Sync;

/// <summary>
/// The one sync routine over the in-memory source: what it reads, what it leaves alone, how it batches the encoder
/// across documents without mixing up their counts, and how one bad batch cannot fail its neighbours.
/// </summary>
public sealed class DocumentSyncTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task IngestsNewDocumentsLeavesCurrentOnesUnreadAndRemovesOnesTheSourceLost()
    {
        var encoder = new HashingEmbeddingGenerator();
        await using var services = await BuildAsync(encoder);
        var sync = services.GetRequiredService<DocumentSync>();

        var first = await sync.SyncAsync(Source(("a.md", "Bees dance."), ("b.md", "Bread rises."), ("c.md", "Lava flows.")), null, CancellationToken.None);
        var calls = encoder.Calls.Count;
        var second = await sync.SyncAsync(Source(("a.md", "Bees dance."), ("b.md", "Bread rises slowly.")), null, CancellationToken.None);

        Assert.Equal(3, first.Count(IngestionOutcome.Indexed));
        Assert.Equal(1, second.UpToDate);
        Assert.Equal([("b.md", IngestionOutcome.Indexed), ("c.md", IngestionOutcome.Deleted)], second.Results.Select(r => (r.DocumentId, r.Outcome)));
        Assert.Equal(calls + 1, encoder.Calls.Count);
        Assert.Equal(["a.md", "b.md"], (await services.GetRequiredService<ISearchIndex>().ListDocumentIdsAsync(CancellationToken.None)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ChunksOfManyDocumentsShareEncoderCallsAndEachDocumentCountsItsOwnVectors()
    {
        var encoder = new HashingEmbeddingGenerator();
        await using var services = await BuildAsync(encoder);
        var documents = Enumerable.Range(0, 20).Select(i => ($"doc-{i:D2}.md", $"Document {i} says something of its own.")).ToList();
        // The same paragraph in two documents is embedded once; the second document reuses it.
        documents.Add(("twin-1.md", "A paragraph two documents share."));
        documents.Add(("twin-2.md", "A paragraph two documents share."));

        var summary = await services.GetRequiredService<DocumentSync>().SyncAsync(Source([.. documents]), null, CancellationToken.None);

        Assert.Equal(22, summary.Count(IngestionOutcome.Indexed));
        Assert.Single(encoder.Calls);
        Assert.Equal(21, encoder.TextsEmbedded);
        var twins = summary.Results.Where(r => r.DocumentId.StartsWith("twin", StringComparison.Ordinal)).ToList();
        Assert.Equal([(1, 0), (0, 1)], twins.Select(r => (r.EmbeddingsComputed, r.EmbeddingsReused)));
    }

    [Fact]
    public async Task WhenABatchFailsEachDocumentIsTriedAloneAndOnlyTheBadOneFails()
    {
        var encoder = new PoisonedEmbeddingGenerator(new HashingEmbeddingGenerator(), poison: "refused");
        await using var services = await BuildAsync(encoder);

        var summary = await services.GetRequiredService<DocumentSync>().SyncAsync(
            Source(("good-1.md", "Bees dance."), ("bad.md", "This text is refused."), ("good-2.md", "Bread rises.")), null, CancellationToken.None);

        Assert.Equal(["bad.md"], summary.Results.Where(r => r.Outcome == IngestionOutcome.Failed).Select(r => r.DocumentId));
        Assert.Equal(2, summary.Count(IngestionOutcome.Indexed));
        Assert.Equal(1, summary.Errors);
        var status = await services.GetRequiredService<IDocumentStatusStore>().GetAsync("bad.md", CancellationToken.None);
        Assert.Equal(DocumentState.Failed, status?.State);
        Assert.StartsWith("Failed:", status?.Error, StringComparison.Ordinal);

        // The transient failure is retried by the next pass; the documents that worked are left alone.
        encoder.Poison = null;
        var retry = await services.GetRequiredService<DocumentSync>().SyncAsync(
            Source(("good-1.md", "Bees dance."), ("bad.md", "This text is refused."), ("good-2.md", "Bread rises.")), null, CancellationToken.None);
        Assert.Equal([("bad.md", IngestionOutcome.Indexed)], retry.Results.Select(r => (r.DocumentId, r.Outcome)));
        Assert.Equal(2, retry.UpToDate);
    }

    [Fact]
    public async Task ProgressCountsUpToDateDocumentsAsDoneAndEndsAtTheTotal()
    {
        await using var services = await BuildAsync(new HashingEmbeddingGenerator());
        var sync = services.GetRequiredService<DocumentSync>();
        await sync.SyncAsync(Source(("a.md", "One."), ("b.md", "Two.")), null, CancellationToken.None);
        var reports = new List<SyncProgress>();

        await sync.SyncAsync(Source(("a.md", "One."), ("b.md", "Two, edited."), ("c.md", "Three.")), new SynchronousProgress<SyncProgress>(reports.Add), CancellationToken.None);

        Assert.Equal(new SyncProgress(1, 3, null), reports[0]);
        Assert.Equal([2, 3], reports.Skip(1).Select(r => r.Completed));
        Assert.All(reports, r => Assert.Equal(3, r.Total));
    }

    [Theory]
    [InlineData(null, null, "v1", null, "never ingested")]
    [InlineData(DocumentState.Pending, "v1", "v1", null, "ingestion was interrupted")]
    [InlineData(DocumentState.Failed, "v1", "v1", "Failed: throttled", "the last attempt failed for a transient reason")]
    [InlineData(DocumentState.Failed, "v1", "v1", "Empty: no text", null)]
    [InlineData(DocumentState.Indexed, "v1", "v1", null, null)]
    [InlineData(DocumentState.Indexed, "v1", "v2", null, "changed since it was last ingested")]
    public void ReasonToIngestComparesTheRecordedVersionWithTheSources(DocumentState? state, string? recorded, string listed, string? error, string? reason)
    {
        var status = state is null ? null : DocumentStatus.Pending("a.md", DateTimeOffset.UtcNow, "hash", "pipeline", recorded) with
        {
            State = state.Value,
            Error = error,
            Chunks = state == DocumentState.Indexed ? 1 : 0,
        };

        Assert.Equal(reason, DocumentSync.ReasonToIngest(new SourceDocument("a.md", listed), status, new HashSet<string> { "a.md" }, "pipeline"));
    }

    [Fact]
    public void WithoutRecordedVersionsTheModificationTimeDecides()
    {
        var updated = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var status = DocumentStatus.Pending("a.md", updated, "hash", "pipeline", sourceVersion: null).ToIndexed(1, 1, 0, updated);
        var indexed = new HashSet<string> { "a.md" };

        Assert.Null(DocumentSync.ReasonToIngest(new SourceDocument("a.md", "v1", updated.AddSeconds(-1)), status, indexed, "pipeline"));
        Assert.NotNull(DocumentSync.ReasonToIngest(new SourceDocument("a.md", "v1", updated.AddSeconds(1)), status, indexed, "pipeline"));
        Assert.NotNull(DocumentSync.ReasonToIngest(new SourceDocument("a.md", "v1", updated.AddSeconds(-1)), status, new HashSet<string>(), "pipeline"));
        Assert.NotNull(DocumentSync.ReasonToIngest(new SourceDocument("a.md", "v1", updated.AddSeconds(-1)), status, indexed, "another pipeline"));
    }

    public void Dispose() => _data.Dispose();

    private static InMemoryDocumentSource Source(params (string Id, string Text)[] documents) =>
        new("test", documents.Select(d => KeyValuePair.Create(d.Id, Encoding.UTF8.GetBytes(d.Text))));

    private Task<ServiceProvider> BuildAsync(IEmbeddingGenerator<string, Embedding<float>> encoder) =>
        SemanticSearchHost.BuildAsync(new Dictionary<string, string?> { ["Data:Path"] = _data.Path }, encoder);

    /// <summary>Refuses any call that contains a poisoned text, as a service refuses one bad input of a batch.</summary>
    private sealed class PoisonedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string poison)
        : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        public string? Poison { get; set; } = poison;

        public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            return Poison is { } poison && texts.Any(t => t.Contains(poison, StringComparison.Ordinal))
                ? throw new InvalidOperationException("The service refused an input.")
                : base.GenerateAsync(texts, options, cancellationToken);
        }
    }
}
