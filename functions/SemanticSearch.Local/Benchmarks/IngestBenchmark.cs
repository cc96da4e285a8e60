using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Chunking;
using SemanticSearch.Extraction;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Local.Evaluation;
using SemanticSearch.Local.Folders;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Ingestion of a folder of documents, each repeat into a new data folder:
/// <list type="bullet">
/// <item>cold: empty index, empty embedding cache, through <see cref="FolderIngestion"/> exactly as <c>ingest</c> does;</item>
/// <item>warm: the same files again into the same folder (every document is recognised by its hash and skipped);</item>
/// <item>cached: index and statuses deleted, embedding cache kept (a rebuild that reuses every vector);</item>
/// <item>cold, batched across documents: as cold, but with <see cref="CorpusIngestion"/>'s cross-document encoder batches.</item>
/// </list>
/// </summary>
internal sealed class IngestBenchmark
{
    public const string Section = "ingest";

    public IngestBenchmark(BenchmarkCorpus corpus, string work, int documents)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        Work = work;
        DocsFolder = Path.Combine(work, "docs");
        Directory.CreateDirectory(DocsFolder);
        Documents = [.. Enumerable.Range(0, documents).Select(corpus.Document).DistinctBy(d => d.Id)];
        foreach (var document in Documents)
        {
            File.WriteAllBytes(Path.Combine(DocsFolder, CorpusDocuments.DocumentIdOf(document.Id)), CorpusDocuments.ToMarkdown(document));
        }
    }

    public string Work { get; }

    /// <summary>The documents as files, for the server benchmarks to serve.</summary>
    public string DocsFolder { get; }

    public IReadOnlyList<BeirDocument> Documents { get; }

    /// <summary>A data folder holding the whole folder ingested, left by the last repeat for the latency benchmarks.</summary>
    public string? IngestedDataFolder { get; private set; }

    public int Chunks { get; private set; }

    /// <summary>Cold ingest time per document (ms) of the last repeat, to compare with the phase profile.</summary>
    public double ColdMillisecondsPerDocument { get; private set; }

    public async Task<IReadOnlyList<BenchFigure>> RunAsync(int repeats, Action advance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advance);
        var cold = new List<double>();
        var warm = new List<double>();
        var cached = new List<double>();
        var batched = new List<double>();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var data = Path.Combine(Work, string.Create(CultureInfo.InvariantCulture, $"ingest-{repeat}"));
            BenchServices.Delete(data);
            await using (var services = await BenchServices.BuildAsync(data, cancellationToken).ConfigureAwait(false))
            {
                var folder = services.GetRequiredService<FolderIngestion>();
                var first = await folder.SyncAsync(DocsFolder, null, cancellationToken).ConfigureAwait(false);
                EnsureAllIndexed(first.Results, IngestionOutcome.Indexed);
                cold.Add(first.Elapsed.TotalSeconds);
                Chunks = first.Chunks;
                var again = await folder.SyncAsync(DocsFolder, null, cancellationToken).ConfigureAwait(false);
                EnsureAllIndexed(again.Results, IngestionOutcome.Unchanged);
                warm.Add(again.Elapsed.TotalSeconds);
            }
            advance();

            BenchServices.DeleteStores(data, "index.db", "documents.db");
            await using (var services = await BenchServices.BuildAsync(data, cancellationToken).ConfigureAwait(false))
            {
                var rebuilt = await services.GetRequiredService<FolderIngestion>().SyncAsync(DocsFolder, null, cancellationToken).ConfigureAwait(false);
                EnsureAllIndexed(rebuilt.Results, IngestionOutcome.Indexed);
                cached.Add(rebuilt.Elapsed.TotalSeconds);
            }
            IngestedDataFolder = data;
            advance();

            var batchedData = data + "-batched";
            BenchServices.Delete(batchedData);
            await using (var services = await BenchServices.BuildAsync(batchedData, cancellationToken).ConfigureAwait(false))
            {
                var ingestion = new CorpusIngestion(
                    services.GetRequiredService<DocumentIngestor>(), services.GetRequiredService<DocumentExtractor>(), services.GetRequiredService<Chunker>(),
                    services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), services.GetRequiredService<ISearchIndex>());
                var summary = await ingestion.IngestAsync(Documents, batchAcrossDocuments: true, null, cancellationToken).ConfigureAwait(false);
                batched.Add(summary.Elapsed.TotalSeconds);
            }
            BenchServices.Delete(batchedData);
            advance();
        }

        ColdMillisecondsPerDocument = cold[^1] * 1000 / Documents.Count;
        var n = Documents.Count;
        var chunks = Chunks;
        string Docs(string what) => string.Create(CultureInfo.InvariantCulture, $"{what} ({n} docs, {chunks} chunks)");
        return
        [
            new(Section, Docs("cold"), "s", Summary.Of(cold)),
            new(Section, "cold", "docs/s", Summary.Of(cold.Select(s => n / s))),
            new(Section, "cold", "chunks/s", Summary.Of(cold.Select(s => chunks / s))),
            new(Section, "warm re-ingest, same files", "s", Summary.Of(warm)),
            new(Section, "warm re-ingest", "docs/s", Summary.Of(warm.Select(s => n / s))),
            new(Section, "warm / cold time", "ratio", Summary.Of(warm.Zip(cold, (w, c) => w / c))),
            new(Section, "rebuild, embedding cache kept", "s", Summary.Of(cached)),
            new(Section, "cold, batched across documents", "s", Summary.Of(batched)),
            new(Section, "cold, batched across documents", "chunks/s", Summary.Of(batched.Select(s => chunks / s))),
        ];
    }

    private static void EnsureAllIndexed(IReadOnlyList<IngestionResult> results, IngestionOutcome expected)
    {
        var wrong = results.FirstOrDefault(r => r.Outcome != expected);
        if (wrong is not null)
        {
            throw new InvalidOperationException($"Benchmark document {wrong.DocumentId} ended {wrong.Outcome}, not {expected}: {wrong.Error}");
        }
    }
}
