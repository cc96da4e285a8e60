using System.Globalization;
using SemanticSearch.Ingestion;
using SemanticSearch.Local.Evaluation;
using SemanticSearch.Sync;

using SemanticSearch.Embedded.Indexing;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Ingestion of a folder of documents, each repeat into a new data folder:
/// <list type="bullet">
/// <item>cold: empty index, empty embedding cache, through <see cref="DocumentSync"/> exactly as <c>ingest</c> does
/// (chunks of several documents embedded per encoder call);</item>
/// <item>warm: the same files again into the same folder (every file's size and write time match its status: none is read);</item>
/// <item>touched: every file's write time changed, bytes not (each is read and recognised by its hash);</item>
/// <item>cached: index and statuses deleted, embedding cache kept (a rebuild that reuses every vector);</item>
/// <item>cold, one document per encoder call: as cold with <c>Ingestion:BatchDocuments=1</c>, the way syncs embedded before.</item>
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
        var touched = new List<double>();
        var cached = new List<double>();
        var perDocument = new List<double>();
        var source = new FolderDocumentSource(DocsFolder);
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var data = Path.Combine(Work, string.Create(CultureInfo.InvariantCulture, $"ingest-{repeat}"));
            BenchServices.Delete(data);
            await using (var services = await BenchServices.BuildAsync(data, cancellationToken).ConfigureAwait(false))
            {
                var sync = services.GetRequiredService<DocumentSync>();
                var first = await sync.SyncAsync(source, null, cancellationToken).ConfigureAwait(false);
                EnsureAll(first.Results, IngestionOutcome.Indexed);
                cold.Add(first.Elapsed.TotalSeconds);
                Chunks = first.Chunks;
                var again = await sync.SyncAsync(source, null, cancellationToken).ConfigureAwait(false);
                EnsureAll(again.Results, IngestionOutcome.Unchanged);
                warm.Add(again.Elapsed.TotalSeconds);
                Touch();
                var retouched = await sync.SyncAsync(source, null, cancellationToken).ConfigureAwait(false);
                EnsureAll(retouched.Results, IngestionOutcome.Unchanged, Documents.Count);
                touched.Add(retouched.Elapsed.TotalSeconds);
            }
            advance();

            BenchServices.DeleteStores(data, EmbeddedSearchIndex.FolderName, "documents.db");
            await using (var services = await BenchServices.BuildAsync(data, cancellationToken).ConfigureAwait(false))
            {
                var rebuilt = await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, cancellationToken).ConfigureAwait(false);
                EnsureAll(rebuilt.Results, IngestionOutcome.Indexed);
                cached.Add(rebuilt.Elapsed.TotalSeconds);
            }
            IngestedDataFolder = data;
            advance();

            var oneByOne = data + "-one-by-one";
            BenchServices.Delete(oneByOne);
            await using (var services = await BenchServices.BuildAsync(oneByOne, cancellationToken, ("Ingestion:BatchDocuments", "1")).ConfigureAwait(false))
            {
                var summary = await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, cancellationToken).ConfigureAwait(false);
                EnsureAll(summary.Results, IngestionOutcome.Indexed);
                perDocument.Add(summary.Elapsed.TotalSeconds);
            }
            BenchServices.Delete(oneByOne);
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
            new(Section, "warm, every file touched (same bytes)", "s", Summary.Of(touched)),
            new(Section, "rebuild, embedding cache kept", "s", Summary.Of(cached)),
            new(Section, "cold, one document per encoder call", "s", Summary.Of(perDocument)),
            new(Section, "cold, one document per encoder call", "chunks/s", Summary.Of(perDocument.Select(s => chunks / s))),
        ];
    }

    /// <summary>A new write time on every file, bytes unchanged: each is read and hashed again, nothing is embedded.</summary>
    private void Touch()
    {
        var now = DateTime.UtcNow.AddSeconds(1);
        foreach (var file in Directory.EnumerateFiles(DocsFolder))
        {
            File.SetLastWriteTimeUtc(file, now);
        }
    }

    private static void EnsureAll(IReadOnlyList<IngestionResult> results, IngestionOutcome expected, int? count = null)
    {
        if (count is { } expectedCount && results.Count != expectedCount)
        {
            throw new InvalidOperationException($"The benchmark sync reported {results.Count} documents, not {expectedCount}.");
        }
        var wrong = results.FirstOrDefault(r => r.Outcome != expected);
        if (wrong is not null)
        {
            throw new InvalidOperationException($"Benchmark document {wrong.DocumentId} ended {wrong.Outcome}, not {expected}: {wrong.Error}");
        }
    }
}
