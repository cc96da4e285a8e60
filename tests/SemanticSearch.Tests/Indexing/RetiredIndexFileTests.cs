using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.Tests.Indexing;

/// <summary>A data folder from before the Lucene.NET index still holds <c>index.db</c>: it is ignored, and said so once.</summary>
public sealed class RetiredIndexFileTests : IDisposable
{
    private readonly TempDirectory _root = new();

    [Fact]
    public async Task AnOldIndexFileNeitherBreaksStartupNorIsRead()
    {
        var data = _root.File("data");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "index.db"), "SQLite format 3\0 (an old FTS5 index)");
        var logs = new CollectingLoggerProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Path"] = data }).Build();
        await using var services = new ServiceCollection()
            .AddLogging(builder => builder.AddProvider(logs))
            .AddSemanticSearch(configuration)
            .AddKeyedSingleton<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>(SemanticSearchServiceKeys.UncachedEmbeddingGenerator, new HashingEmbeddingGenerator())
            .BuildServiceProvider();
        await services.InitializeSemanticSearchAsync(CancellationToken.None);

        var summary = await services.GetRequiredService<DocumentSync>().SyncAsync(new FolderDocumentSource(SemanticSearchHost.CopySamples(_root.File("docs"))), null, CancellationToken.None);

        Assert.Equal(6, summary.Count(IngestionOutcome.Indexed));
        Assert.True(Directory.Exists(Path.Combine(data, EmbeddedSearchIndex.FolderName)));
        var warning = Assert.Single(logs.Entries, e => e.Message.Contains("index.db", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("is no longer used", warning.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Dispose();
}
