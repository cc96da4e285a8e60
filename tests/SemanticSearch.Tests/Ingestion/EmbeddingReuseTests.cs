using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;
using Xunit.Abstractions;

namespace SemanticSearch.Tests.Ingestion;

/// <summary>
/// The promise of the embedding cache, with the real encoder: text embedded once is never embedded again — not on a
/// re-ingest, not after the index is wiped, and not for the unchanged paragraphs of an edited document.
/// </summary>
public sealed class EmbeddingReuseTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _root = new();

    private string Docs => Path.Combine(_root.Path, "docs");

    private string Data => Path.Combine(_root.Path, "data");

    private async Task<SyncSummary> SyncAsync()
    {
        await using var services = await SemanticSearchHost.BuildAsync(new Dictionary<string, string?> { ["Data:Path"] = Data });
        return await services.SyncFolderAsync(Docs);
    }

    [Fact]
    public async Task ReingestingAnUnchangedFolderComputesNoEmbeddings()
    {
        SemanticSearchHost.CopySamples(Docs);

        var first = await SyncAsync();
        var second = await SyncAsync();

        Assert.Equal(6, first.Count(IngestionOutcome.Indexed));
        Assert.True(first.EmbeddingsComputed > 0);
        // Every file's size and write time match its status: none is even read.
        Assert.Equal(6, second.UpToDate);
        Assert.Empty(second.Results);
        Assert.Equal(0, second.EmbeddingsComputed);
        output.WriteLine($"samples: {first.Chunks} chunks, cold {first.Elapsed.TotalSeconds:F2} s, warm {second.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task TouchedButUnchangedFilesAreReadAndRecognisedWithoutEmbedding()
    {
        SemanticSearchHost.CopySamples(Docs);
        await SyncAsync();
        foreach (var file in Directory.EnumerateFiles(Docs))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        }

        var touched = await SyncAsync();
        var again = await SyncAsync();

        Assert.Equal(6, touched.Count(IngestionOutcome.Unchanged));
        Assert.Equal(0, touched.EmbeddingsComputed);
        // The new write times were recorded, so the next pass reads nothing.
        Assert.Equal(6, again.UpToDate);
        Assert.Empty(again.Results);
    }

    [Fact]
    public async Task AfterTheIndexIsWipedEveryEmbeddingComesFromTheCache()
    {
        Directory.CreateDirectory(Docs);
        foreach (var (paragraph, i) in SyntheticDocument.Paragraphs(12).Select((p, i) => (p, i)))
        {
            File.WriteAllText(Path.Combine(Docs, $"note-{i}.txt"), paragraph);
        }
        var first = await SyncAsync();

        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.Combine(Data, EmbeddedSearchIndex.FolderName), recursive: true);
        File.Delete(Path.Combine(Data, "documents.db"));
        var rebuilt = await SyncAsync();

        Assert.Equal(12, rebuilt.Count(IngestionOutcome.Indexed));
        Assert.Equal(0, rebuilt.EmbeddingsComputed);
        Assert.Equal(first.EmbeddingsComputed, rebuilt.EmbeddingsReused);
    }

    [Fact]
    public async Task EditingOneParagraphOfALongDocumentReusesAlmostEveryEmbedding()
    {
        Directory.CreateDirectory(Docs);
        var paragraphs = SyntheticDocument.Paragraphs(250);
        var path = Path.Combine(Docs, "long.md");
        File.WriteAllText(path, SyntheticDocument.Markdown(paragraphs));
        var first = await SyncAsync();
        var chunks = first.Results.Single().Chunks;
        Assert.InRange(chunks, 240, 300);

        paragraphs[125] = "This paragraph was rewritten by an editor to say something entirely new about tidal energy.";
        File.WriteAllText(path, SyntheticDocument.Markdown(paragraphs));
        var edited = (await SyncAsync()).Results.Single();

        var reuse = (double)edited.EmbeddingsReused / edited.Chunks;
        output.WriteLine($"{edited.Chunks} chunks; {edited.EmbeddingsComputed} computed, {edited.EmbeddingsReused} reused ({reuse:P1})");
        Assert.Equal(IngestionOutcome.Indexed, edited.Outcome);
        Assert.True(reuse >= 0.95, $"reuse {reuse:P1}");
        Assert.InRange(edited.EmbeddingsComputed, 1, 3);

        await using var services = await SemanticSearchHost.BuildAsync(new Dictionary<string, string?> { ["Data:Path"] = Data });
        var index = services.GetRequiredService<ISearchIndex>();
        Assert.Equal(edited.Chunks, await index.CountChunksAsync("long.md", CancellationToken.None));
        var hits = await index.SearchAsync(new IndexQuery("tidal energy", null, RetrievalMode.Keyword, 3), CancellationToken.None);
        Assert.Contains("tidal energy", hits[0].Content, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Dispose();
}
