using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Indexing;
using SemanticSearch.Local.Benchmarks;
using SemanticSearch.Local.Evaluation;
using SemanticSearch.Sync;
using Spectre.Console;

namespace SemanticSearch.Local.Commands;

/// <summary>
/// <c>eval --corpus FILE --queries FILE --qrels FILE [--mode M] [--top K] [--data DIR] [--output FILE]</c>: retrieval
/// quality on a BEIR-format benchmark (nDCG@k, Recall@k, MRR@k per mode). The data folder keeps the index and the
/// embedding cache, so a second run skips every unchanged document and only runs the queries.
/// </summary>
internal static class EvalCommand
{
    /// <summary>Not the default data folder of the other verbs: a benchmark corpus must never mix with a user's documents.</summary>
    public const string DefaultDataPath = ".semantic-search-eval";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static Command Create()
    {
        var corpus = new Option<FileInfo>("--corpus") { Description = "BEIR corpus.jsonl (_id, title, text), one document a line.", Required = true };
        var queries = new Option<FileInfo>("--queries") { Description = "BEIR queries.jsonl (_id, text).", Required = true };
        var qrels = new Option<FileInfo>("--qrels") { Description = "Relevance judgements: TSV query-id, corpus-id, score, with a header line.", Required = true };
        var mode = new Option<string>("--mode") { Description = "keyword, vector, hybrid, or all (default).", DefaultValueFactory = _ => "all" };
        mode.AcceptOnlyFromAmong("all", "keyword", "vector", "hybrid");
        var top = new Option<int>("--top") { Description = "Documents ranked per query, and the cut-off k of every metric.", DefaultValueFactory = _ => 10 };
        var chunks = new Option<int?>("--chunks") { Description = "Chunks retrieved per query before they collapse to documents (default top × 5)." };
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Folder kept between runs for the index and the embedding cache of this corpus.",
            DefaultValueFactory = _ => new DirectoryInfo(DefaultDataPath),
        };
        var output = new Option<FileInfo?>("--output") { Description = "Where to write the JSON results (default eval-results.json in the data folder)." };
        var skipIngestion = new Option<bool>("--no-ingest") { Description = "Score the index as the data folder holds it, without bringing it in line with the corpus first." };
        var perQuery = new Option<bool>("--per-query") { Description = "Also write each query's nDCG to the JSON, to compare two runs query by query." };
        var command = new Command("eval", "Measure retrieval quality on a BEIR-format benchmark, for each search mode.")
        {
            corpus, queries, qrels, mode, top, chunks, data, output, skipIngestion, perQuery,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new EvalArguments(
                parse.GetValue(corpus)!, parse.GetValue(queries)!, parse.GetValue(qrels)!, ParseModes(parse.GetValue(mode)!),
                parse.GetValue(top), parse.GetValue(chunks), parse.GetValue(data)!, parse.GetValue(output), parse.GetValue(skipIngestion), parse.GetValue(perQuery)),
            AnsiConsole.Console,
            cancellationToken));
        return command;
    }

    public static IReadOnlyList<RetrievalMode> ParseModes(string mode) => mode switch
    {
        "keyword" => [RetrievalMode.Keyword],
        "vector" => [RetrievalMode.Vector],
        "hybrid" => [RetrievalMode.Hybrid],
        _ => [RetrievalMode.Keyword, RetrievalMode.Vector, RetrievalMode.Hybrid],
    };

    public static async Task<int> RunAsync(EvalArguments arguments, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(console);
        foreach (var file in new[] { arguments.Corpus, arguments.Queries, arguments.Qrels }.Where(f => !f.Exists))
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]No file {file.FullName}.[/]");
            return 2;
        }
        if (arguments.Top < 1 || arguments.ChunksPerQuery < arguments.Top)
        {
            console.MarkupLine("[red]--top must be at least 1, and --chunks at least --top.[/]");
            return 2;
        }

        var machine = MachineInfo.Capture();
        BeirDataset dataset;
        try
        {
            dataset = BeirDataset.Load(arguments.Corpus.FullName, arguments.Queries.FullName, arguments.Qrels.FullName);
        }
        catch (FormatException error)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{error.Message}[/]");
            return 2;
        }
        foreach (var note in dataset.Notes)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{note}[/]");
        }
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"{dataset.Corpus.Count} documents, {dataset.Queries.Count} judged queries; data in {arguments.Data.FullName}; load {machine.LoadAverage}");

        arguments.Data.Create();
        await using var services = await CommandServices.BuildAsync(CommonOptions.Settings(arguments.Data), cancellationToken).ConfigureAwait(false);
        var options = services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;
        var encoder = VectorSpace.Of(services.GetRequiredService<EmbeddingGeneratorMetadata>());
        var generator = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var index = services.GetRequiredService<ISearchIndex>();
        var runner = new EvaluationRunner(generator, index);

        CorpusIngestionSummary? ingested = null;
        IReadOnlyDictionary<string, ReadOnlyMemory<float>> queryVectors = new Dictionary<string, ReadOnlyMemory<float>>();
        var embeddingTime = TimeSpan.Zero;
        var modes = new List<ModeEvaluation>();
        await Progress(console).StartAsync(async context =>
        {
            if (arguments.SkipIngestion)
            {
                ingested = CorpusIngestionSummary.Skipped(dataset.Corpus.Count);
            }
            else
            {
                var ingest = context.AddTask($"Ingesting {dataset.Corpus.Count} documents", maxValue: Math.Max(dataset.Corpus.Count, 1));
                var synced = await services.GetRequiredService<DocumentSync>().SyncAsync(
                    CorpusDocuments.Source(dataset.Corpus),
                    new SynchronousProgress<SyncProgress>(step => ingest.Value = step.Completed),
                    cancellationToken).ConfigureAwait(false);
                ingested = CorpusIngestionSummary.From(synced);
                ingest.Value = ingest.MaxValue;
            }

            if (arguments.Modes.Any(m => m != RetrievalMode.Keyword))
            {
                var embed = context.AddTask($"Embedding {dataset.Queries.Count} queries", maxValue: 1).IsIndeterminate();
                var started = Stopwatch.GetTimestamp();
                queryVectors = await runner.EmbedQueriesAsync(dataset.Queries, cancellationToken).ConfigureAwait(false);
                embeddingTime = Stopwatch.GetElapsedTime(started);
                embed.IsIndeterminate(false).Value = 1;
            }

            foreach (var mode in arguments.Modes)
            {
                var task = context.AddTask($"Searching: {mode.ToString().ToLowerInvariant()}", maxValue: Math.Max(dataset.Queries.Count, 1));
                modes.Add(await runner.RunAsync(dataset, queryVectors, mode, arguments.Top, arguments.ChunksPerQuery,
                    new SynchronousProgress<int>(done => task.Value = done), cancellationToken).ConfigureAwait(false));
                task.Value = task.MaxValue;
            }
        }).ConfigureAwait(false);

        var report = new EvaluationReport(
            DateTimeOffset.UtcNow,
            machine,
            MachineInfo.LoadAverageNow(),
            new EvaluationDataset(arguments.Corpus.FullName, arguments.Queries.FullName, arguments.Qrels.FullName,
                dataset.Corpus.Count, dataset.Queries.Count, dataset.Qrels.Values.Sum(j => j.Count)),
            new EvaluationSettings(arguments.Top, arguments.ChunksPerQuery, options.Chunking.MaxTokens, options.Chunking.OverlapTokens,
                options.Index.Embedded.CandidateDepth, options.Index.Embedded.RrfK,
                options.Index.Embedded.KeywordWeight, options.Index.Embedded.VectorWeight, encoder.ModelId),
            ingested!,
            embeddingTime.TotalSeconds,
            arguments.PerQuery ? modes : [.. modes.Select(m => m with { PerQueryNdcg = null })]);
        Write(console, report);
        var outputPath = arguments.OutputPath;
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        await File.WriteAllTextAsync(outputPath, JsonSerializer.Serialize(report, JsonOptions), cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Results written to {outputPath}");
        return 0;
    }

    private static Progress Progress(IAnsiConsole console) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn());

    private static void Write(IAnsiConsole console, EvaluationReport report)
    {
        var i = report.Ingestion;
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"Ingestion: {i.Indexed} indexed, {i.Unchanged} unchanged, {i.Failed} failed, {i.Deleted} deleted; {i.Chunks} chunks, {i.EmbeddingsComputed} embeddings computed, {i.EmbeddingsReused} reused, in {i.Elapsed.TotalSeconds:F1} s");
        var k = report.Settings.Top.ToString(CultureInfo.InvariantCulture);
        var table = new Table()
            .Title($"Retrieval quality ({report.Dataset.EvaluatedQueries} queries, {report.Dataset.Documents} documents)")
            .AddColumns("mode", $"nDCG@{k}", $"Recall@{k}", $"MRR@{k}", "seconds", "ms/query");
        foreach (var mode in report.Modes)
        {
            table.AddRow(
                mode.Mode,
                mode.Ndcg.ToString("F4", CultureInfo.InvariantCulture),
                mode.Recall.ToString("F4", CultureInfo.InvariantCulture),
                mode.Mrr.ToString("F4", CultureInfo.InvariantCulture),
                mode.Seconds.ToString("F1", CultureInfo.InvariantCulture),
                mode.MillisecondsPerQuery.ToString("F2", CultureInfo.InvariantCulture));
        }
        table.Caption($"chunks {report.Settings.ChunkMaxTokens}/{report.Settings.ChunkOverlapTokens} tokens, candidate depth {report.Settings.CandidateDepth}, RRF k {report.Settings.RrfK}, weights keyword {report.Settings.KeywordWeight} / vector {report.Settings.VectorWeight}; query embeddings {report.QueryEmbeddingSeconds:F1} s (batched)");
        console.Write(table);
    }
}
