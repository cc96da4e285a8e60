using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;
using SemanticSearch.Tests.Extraction;

namespace SemanticSearch.Tests.Ingestion;

/// <summary>
/// What the ingestor hands the index: every chunk carries its document's citation and what filters and access trimming
/// read (title chain, tags and groups from the file and the source, url, type, modification time) and its own heading
/// path and page — on the batch path (every sync) and the single-document path (the blob trigger) alike.
/// </summary>
public sealed class DocumentMetadataTests : IDisposable
{
    private static readonly DateTimeOffset Modified = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private readonly TempDirectory _data = new();
    private readonly RecordingSearchIndex _index = new();

    [Fact]
    public async Task TheTitleIsTheFilesOwnElseItsFirstHeadingElseItsFileName()
    {
        await using var services = await BuildAsync();
        var source = new MetadataSource(
            Document("front.md", "---\ntitle: From the front matter\n---\n# A heading\n\nText."),
            Document("headed.md", "Intro before any heading.\n\n## The first heading\n\nText."),
            Document("page.html", "<html><head><title>Page title</title></head><body><h1>Own heading</h1><p>Text.</p></body></html>"),
            Document("notes/plain.txt", "Just text, no heading at all."),
            Document("untitled.html", "<html><body><p>No title, no heading.</p></body></html>"));

        await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, CancellationToken.None);

        Assert.Equal("From the front matter", Metadata("front.md").Title);
        Assert.Equal("The first heading", Metadata("headed.md").Title);
        Assert.Equal("Page title", Metadata("page.html").Title);
        Assert.Equal("plain.txt", Metadata("notes/plain.txt").Title);
        Assert.Equal("untitled.html", Metadata("untitled.html").Title);
    }

    [Fact]
    public async Task EveryChunkCarriesTheDocumentsMetadataWithTagsAndGroupsOfFileAndSourceUnited()
    {
        await using var services = await BuildAsync();
        const string markdown = """
            ---
            tags: [Bees, Biology]
            acl: [team-b]
            ---
            # Field notes

            Bees navigate by the sun and share where flowers are with a waggle dance, a figure-eight run whose angle is the direction.

            ## Hives

            A colony keeps its hive near thirty-five degrees by fanning its wings and clustering together when it is cold outside.
            """;
        var source = new MetadataSource(Document("field/bees.md", markdown, d => d with
        {
            Url = "https://example.test/docs/field/bees.md",
            Tags = ["biology", "Field-Notes"],
            Acl = ["team-a", "team-b"],
        }));

        var summary = await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, CancellationToken.None);

        Assert.Equal(1, summary.Count(IngestionOutcome.Indexed));
        var chunks = _index.Chunks("field/bees.md");
        Assert.True(chunks.Count >= 2);
        var expected = new DocumentMetadata(
            "Field notes",
            "field/bees.md",
            "https://example.test/docs/field/bees.md",
            "text/markdown",
            Modified,
            ["bees", "biology", "field-notes"],
            ["team-a", "team-b"]);
        Assert.All(chunks, chunk => Assert.Equal(expected, chunk.Document));
        Assert.Equal("md", chunks[0].Document.Type);
        Assert.Equal(["field"], chunks[0].Document.Folders);
        Assert.Equal(["Field notes"], chunks[0].Headings);
        Assert.Equal(["Field notes", "Hives"], chunks[^1].Headings);
        Assert.All(chunks, chunk => Assert.Null(chunk.Page));
    }

    [Fact]
    public async Task ASourceThatSaysNothingLeavesTheFilesOwnTagsAndGroups()
    {
        await using var services = await BuildAsync();
        var source = new MetadataSource(Document("a.md", "---\ntags: x, y\nacl: [g]\n---\nText of a.", d => d with { ModifiedAt = null }));

        await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, CancellationToken.None);

        var metadata = Metadata("a.md");
        Assert.Equal(["x", "y"], metadata.Tags);
        Assert.Equal(["g"], metadata.Acl);
        Assert.Null(metadata.Url);
        Assert.Null(metadata.ModifiedAt);
        Assert.Equal("a.md", metadata.Title);
    }

    [Fact]
    public async Task TheSingleDocumentPathCarriesTheSameMetadata()
    {
        await using var services = await BuildAsync();
        var ingestor = services.GetRequiredService<DocumentIngestor>();
        var document = new SourceDocument("one.md", "v1", Modified) { Url = "https://example.test/one.md", Tags = ["T"], Acl = ["g1"] };

        await using (var content = new MemoryStream(Encoding.UTF8.GetBytes("---\ntitle: One\n---\nSome text.")))
        {
            Assert.Equal(IngestionOutcome.Indexed, (await ingestor.IngestAsync(document, content, CancellationToken.None)).Outcome);
        }
        var opened = await ingestor.IngestAsync(
            new DocumentToIngest(new SourceDocument("two.md"), _ => Task.FromResult<SourceContent?>(new SourceContent(
                new SourceDocument("two.md", "v1", Modified) { Url = "https://example.test/two.md", Acl = ["g2"] },
                new MemoryStream(Encoding.UTF8.GetBytes("# Two\n\nOther text."))))),
            CancellationToken.None);

        Assert.Equal(IngestionOutcome.Indexed, opened.Outcome);
        Assert.Equal(new DocumentMetadata("One", "one.md", "https://example.test/one.md", "text/markdown", Modified, ["t"], ["g1"]), Metadata("one.md"));
        // What the source said when it opened the bytes, not what was known before.
        Assert.Equal(new DocumentMetadata("Two", "two.md", "https://example.test/two.md", "text/markdown", Modified, [], ["g2"]), Metadata("two.md"));
        Assert.Equal(["Two"], _index.Chunks("two.md")[0].Headings);
    }

    [Fact]
    public async Task ChangingOnlyTheSourcesTagsOrGroupsReindexesTheDocumentAndNothingElseDoes()
    {
        await using var services = await BuildAsync();
        var sync = services.GetRequiredService<DocumentSync>();
        var text = "Unchanged bytes about bees.";

        await sync.SyncAsync(new MetadataSource(Document("a.md", text, d => d with { Version = "v1", Acl = ["team-a"] })), null, CancellationToken.None);
        var touched = await sync.SyncAsync(new MetadataSource(Document("a.md", text, d => d with { Version = "v2", Acl = ["team-a"] })), null, CancellationToken.None);
        var regrouped = await sync.SyncAsync(new MetadataSource(Document("a.md", text, d => d with { Version = "v3", Acl = ["team-b"] })), null, CancellationToken.None);

        Assert.Equal(IngestionOutcome.Unchanged, Assert.Single(touched.Results).Outcome);
        Assert.Equal(IngestionOutcome.Indexed, Assert.Single(regrouped.Results).Outcome);
        Assert.Equal(0, regrouped.EmbeddingsComputed);
        Assert.Equal(["team-b"], Metadata("a.md").Acl);
        Assert.Equal(2, _index.Replacements["a.md"]);
    }

    [Fact]
    public async Task PdfChunksCarryTheirPagesIntoTheIndex()
    {
        await using var services = await BuildAsync();
        var pdf = new TestPdfBuilder()
            .Information("Guide", "Field")
            .Paragraph("Page one text.")
            .NewPage()
            .Paragraph("Page two text.")
            .Build();

        await services.GetRequiredService<DocumentSync>().SyncAsync(new MetadataSource((new SourceDocument("guide.pdf", "v1", Modified), pdf)), null, CancellationToken.None);

        Assert.Equal([("Page one text.", 1), ("Page two text.", 2)], _index.Chunks("guide.pdf").Select(c => (c.Content, c.Page!.Value)));
        var metadata = Metadata("guide.pdf");
        Assert.Equal("Guide", metadata.Title);
        Assert.Equal("application/pdf", metadata.ContentType);
        Assert.Equal(["field"], metadata.Tags);
    }

    [Fact]
    public async Task AnUnsupportedTypeIsRefusedWithoutBeingOpened()
    {
        await using var services = await BuildAsync();
        var source = new MetadataSource(Document("slides.pptx", "not read"));
        var ingestor = services.GetRequiredService<DocumentIngestor>();

        var synced = await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, CancellationToken.None);
        var single = await ingestor.IngestAsync(new DocumentToIngest(new SourceDocument("deck.pptx"), _ => throw new InvalidOperationException("opened")), CancellationToken.None);

        Assert.Equal(0, source.Opens);
        Assert.StartsWith("Unsupported:", Assert.Single(synced.Results).Error, StringComparison.Ordinal);
        Assert.Equal(IngestionOutcome.Failed, single.Outcome);
        Assert.StartsWith("Unsupported:", single.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSingleDocumentPathRemovesWhatIsGoneAndThrowsWhatFailsToOpen()
    {
        await using var services = await BuildAsync();
        var ingestor = services.GetRequiredService<DocumentIngestor>();
        await using (var content = new MemoryStream(Encoding.UTF8.GetBytes("Text.")))
        {
            await ingestor.IngestAsync("gone.md", content, CancellationToken.None);
        }

        var gone = await ingestor.IngestAsync(new DocumentToIngest(new SourceDocument("gone.md"), _ => Task.FromResult<SourceContent?>(null)), CancellationToken.None);
        var failure = await Assert.ThrowsAsync<IOException>(() => ingestor.IngestAsync(
            new DocumentToIngest(new SourceDocument("flaky.md"), _ => throw new IOException("storage unreachable")), CancellationToken.None));

        Assert.Equal(IngestionOutcome.Deleted, gone.Outcome);
        Assert.Empty(_index.Chunks("gone.md"));
        Assert.Equal("storage unreachable", failure.Message);
        var status = await services.GetRequiredService<IDocumentStatusStore>().GetAsync("flaky.md", CancellationToken.None);
        Assert.Equal(DocumentState.Failed, status?.State);
    }

    [Fact]
    public void TheFingerprintIsThePlainHashUnlessTheSourceSaysSomethingTheIndexStores()
    {
        var bytes = new ArraySegment<byte>(Encoding.UTF8.GetBytes("bytes"));
        var plain = new SourceDocument("a.md", "v1", Modified);

        Assert.Equal(ContentHash.Of(bytes), DocumentMetadataBuilder.Fingerprint(bytes, plain));
        Assert.Equal(DocumentMetadataBuilder.Fingerprint(bytes, plain), DocumentMetadataBuilder.Fingerprint(bytes, plain with { ModifiedAt = Modified.AddDays(1) }));
        Assert.NotEqual(DocumentMetadataBuilder.Fingerprint(bytes, plain), DocumentMetadataBuilder.Fingerprint(bytes, plain with { Tags = ["x"] }));
        Assert.Equal(
            DocumentMetadataBuilder.Fingerprint(bytes, plain with { Tags = ["X", "y"] }),
            DocumentMetadataBuilder.Fingerprint(bytes, plain with { Tags = ["y", "x"] }));
        Assert.NotEqual(
            DocumentMetadataBuilder.Fingerprint(bytes, plain with { Acl = ["G"] }),
            DocumentMetadataBuilder.Fingerprint(bytes, plain with { Acl = ["g"] }));
    }

    [Fact]
    public void AFileTitleBeatsTheFirstHeadingAndBothAreBounded()
    {
        var longHeading = new string('h', 400);
        var extracted = new ExtractedDocument("x.md", [new DocumentBlock(BlockKind.Paragraph, "p"), new DocumentBlock(BlockKind.Heading, longHeading, 2)]);

        var fromHeading = DocumentMetadataBuilder.Build(new SourceDocument("x.md"), extracted);
        var fromFile = DocumentMetadataBuilder.Build(new SourceDocument("x.md"), extracted with { Properties = new DocumentProperties("  Mine  ", [], []) });

        Assert.Equal(new string('h', MetadataValues.MaxTitleLength), fromHeading.Title);
        Assert.Equal("Mine", fromFile.Title);
    }

    public void Dispose() => _data.Dispose();

    private DocumentMetadata Metadata(string documentId)
    {
        var chunks = _index.Chunks(documentId);
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk => Assert.Equal(chunks[0].Document, chunk.Document));
        return chunks[0].Document;
    }

    private Task<ServiceProvider> BuildAsync() =>
        SemanticSearchHost.BuildAsync(
            new Dictionary<string, string?> { ["Data:Path"] = _data.Path },
            new HashingEmbeddingGenerator(),
            configure: services => services.AddKeyedSingleton<ISearchIndex>(IndexProvider.Embedded, _index));

    private static (SourceDocument Document, byte[] Content) Document(string id, string text, Func<SourceDocument, SourceDocument>? describe = null) =>
        ((describe ?? (d => d))(new SourceDocument(id, "v1", Modified)), Encoding.UTF8.GetBytes(text));

    /// <summary>A source that says what a blob container says: url, tags, groups, version and time with every document.</summary>
    private sealed class MetadataSource(params (SourceDocument Document, byte[] Content)[] documents) : IDocumentSource
    {
        public int Opens { get; private set; }

        public string Description => "test source with metadata";

        public async IAsyncEnumerable<SourceDocument> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var (document, _) in documents)
            {
                yield return document;
            }
            await Task.CompletedTask;
        }

        public Task<SourceContent?> OpenAsync(SourceDocument document, CancellationToken cancellationToken)
        {
            Opens++;
            var found = documents.Single(d => d.Document.Id == document.Id);
            return Task.FromResult<SourceContent?>(new SourceContent(found.Document, new MemoryStream(found.Content)));
        }

        public Task<SourceDocument?> FindAsync(string documentId, CancellationToken cancellationToken) =>
            Task.FromResult(documents.Select(d => d.Document).FirstOrDefault(d => d.Id == documentId));
    }
}
