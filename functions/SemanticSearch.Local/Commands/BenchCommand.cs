using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;
using SemanticSearch.Indexing;
using SemanticSearch.Local.Benchmarks;
using SemanticSearch.Local.Evaluation;
using Spectre.Console;

namespace SemanticSearch.Local.Commands;

/// <summary>
/// <c>bench --corpus FILE --queries FILE [--quick] [--repeats N] [--sizes 1000,10000,100000] ...</c>: encoder
/// throughput, cold and warm ingest, embedding reuse after an edit, search latency (in process and over HTTP, cache
/// hit and miss), latency against index size, peak memory, and where the time of a query and of an ingest goes.
/// Every figure is reported as min/median/max over the repeats; the table goes to the console, the rest to JSON and
/// an SVG plot. With <c>--encoders</c> it measures only the encoders instead: the bundled fp32 and int8 models (spinning
/// on and off) and any <c>--peer</c>, interleaved on the same passages (<see cref="EncoderComparison"/>).
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static Command Create()
    {
        var corpus = new Option<FileInfo?>("--corpus") { Description = "BEIR corpus.jsonl whose texts make the benchmark documents and synthetic chunks (required to measure)." };
        var queries = new Option<FileInfo?>("--queries") { Description = "BEIR queries.jsonl whose texts are the benchmark queries (required to measure)." };
        var replot = new Option<FileInfo?>("--replot") { Description = "Measure nothing: redraw the plot from a results JSON written earlier." };
        var quick = new Option<bool>("--quick") { Description = "Tiny sizes, for CI: proves the harness runs, says little about speed." };
        var repeats = new Option<int?>("--repeats") { Description = "Repeats of every measurement (default 3; 2 with --quick)." };
        var sizes = new Option<string?>("--sizes") { Description = "Index sizes in chunks for the latency-vs-size curve (default 1000,10000,100000)." };
        var documents = new Option<int?>("--documents") { Description = "Documents ingested cold and warm (default 200)." };
        var editChunks = new Option<int?>("--edit-chunks") { Description = "Chunks of the long document edited for the reuse ratio (default 250)." };
        var latencyQueries = new Option<int?>("--queries-per-run") { Description = "Distinct queries per latency run (default 100)." };
        var work = new Option<DirectoryInfo?>("--work") { Description = "Scratch folder (default: a new temporary folder, removed at the end)." };
        var output = new Option<FileInfo?>("--output") { Description = "Where to write the JSON results (default bench-results.json)." };
        var plot = new Option<FileInfo?>("--plot") { Description = "Where to write the latency-vs-size SVG (default: next to the JSON)." };
        var encoders = new Option<bool>("--encoders") { Description = "Measure only the encoders: bundled fp32 and int8, spinning on and off, and every --peer, interleaved on the same passages at batch 8 (JSON default bench-encoders.json; the texts go next to it as .texts.json)." };
        var peers = new Option<string[]>("--peer") { Description = "With --encoders: a command starting a peer encoder, e.g. \"node benchmarks/peer-transformersjs/bench.mjs\" (repeatable; the first is the ratios' reference)." };
        var passages = new Option<int?>("--passages") { Description = "With --encoders: passages per round (default 256; 16 with --quick). --repeats sets the rounds (default 5), --queries-per-run the single queries (default 100)." };
        var command = new Command("bench", "Measure speed: encoder, ingestion, edit reuse, search latency, scale and memory.")
        {
            corpus, queries, quick, repeats, sizes, documents, editChunks, latencyQueries, work, output, plot, replot, encoders, peers, passages,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(replot) is { } results)
            {
                return ReplotAsync(results, parse.GetValue(plot), AnsiConsole.Console, cancellationToken);
            }
            if (parse.GetValue(corpus) is null || parse.GetValue(queries) is null)
            {
                AnsiConsole.MarkupLine("[red]--corpus and --queries are required (or --replot RESULTS.json).[/]");
                return Task.FromResult(2);
            }
            if (parse.GetValue(encoders))
            {
                var comparison = parse.GetValue(quick)
                    ? EncoderComparisonArguments.Quick(parse.GetValue(corpus)!, parse.GetValue(queries)!)
                    : EncoderComparisonArguments.Full(parse.GetValue(corpus)!, parse.GetValue(queries)!);
                return RunEncodersAsync(comparison with
                {
                    Passages = parse.GetValue(passages) ?? comparison.Passages,
                    Queries = parse.GetValue(latencyQueries) ?? comparison.Queries,
                    Rounds = parse.GetValue(repeats) ?? comparison.Rounds,
                    Peers = parse.GetValue(peers) ?? [],
                    Work = parse.GetValue(work),
                    Output = parse.GetValue(output),
                }, AnsiConsole.Console, cancellationToken);
            }
            var defaults = parse.GetValue(quick) ? BenchArguments.Quick(parse.GetValue(corpus)!, parse.GetValue(queries)!) : BenchArguments.Full(parse.GetValue(corpus)!, parse.GetValue(queries)!);

            var arguments = defaults with
            {
                Repeats = parse.GetValue(repeats) ?? defaults.Repeats,
                Sizes = parse.GetValue(sizes) is { } list ? ParseSizes(list) : defaults.Sizes,
                IngestDocuments = parse.GetValue(documents) ?? defaults.IngestDocuments,
                EditChunks = parse.GetValue(editChunks) ?? defaults.EditChunks,
                LatencyQueries = parse.GetValue(latencyQueries) ?? defaults.LatencyQueries,
                Work = parse.GetValue(work),
                Output = parse.GetValue(output),
                Plot = parse.GetValue(plot),
            };
            return RunAsync(arguments, AnsiConsole.Console, cancellationToken);
        });
        return command;
    }

    /// <summary>Redraws the latency-vs-size plot of an earlier run (e.g. after changing the plot), measuring nothing.</summary>
    public static async Task<int> ReplotAsync(FileInfo results, FileInfo? plot, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(console);
        if (!results.Exists)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]No file {results.FullName}.[/]");
            return 2;
        }
        BenchReport? report;
        try
        {
            report = JsonSerializer.Deserialize<BenchReport>(await File.ReadAllTextAsync(results.FullName, cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException error)
        {
            throw new FormatException($"{results.FullName} is not a bench results file: {error.Message}", error);
        }
        if (report?.Scale is null)
        {
            throw new FormatException($"{results.FullName} holds no bench results.");
        }
        var path = plot?.FullName ?? Path.ChangeExtension(results.FullName, ".svg");
        await File.WriteAllTextAsync(path, LatencyPlot.Render(report.Scale, PlotSubtitle(report.Machine, report.Repeats)), cancellationToken).ConfigureAwait(false);
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Plot written to {path}");
        return 0;
    }

    public static async Task<int> RunAsync(BenchArguments arguments, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(console);
        foreach (var file in new[] { arguments.Corpus, arguments.Queries }.Where(f => !f.Exists))
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]No file {file.FullName}.[/]");
            return 2;
        }
        if (arguments.Repeats < 1 || arguments.Sizes.Count == 0 || arguments.Sizes.Any(s => s < 1) || arguments.IngestDocuments < 1 || arguments.EditChunks < 1 || arguments.LatencyQueries < 1)
        {
            console.MarkupLine("[red]Repeats, sizes, documents, edit chunks and queries must all be at least 1.[/]");
            return 2;
        }

        var machine = MachineInfo.Capture();
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{machine.Cores} cores, {machine.Cpu}; load average {machine.LoadAverage}");
        var corpus = BenchmarkCorpus.Load(arguments.Corpus.FullName, arguments.Queries.FullName);
        foreach (var note in corpus.Notes)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{note}[/]");
        }
        var ownsWork = arguments.Work is null;
        var work = arguments.Work?.FullName ?? Path.Combine(Path.GetTempPath(), "semantic-search-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var report = await MeasureAsync(arguments, corpus, machine, work, console, cancellationToken).ConfigureAwait(false);
            Write(console, report);
            Directory.CreateDirectory(Path.GetDirectoryName(arguments.OutputPath)!);
            await File.WriteAllTextAsync(arguments.OutputPath, JsonSerializer.Serialize(report, JsonOptions), cancellationToken).ConfigureAwait(false);
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Results written to {arguments.OutputPath}, plot to {arguments.PlotPath}");
            return 0;
        }
        finally
        {
            if (ownsWork)
            {
                BenchServices.Delete(work);
            }
        }
    }

    private static async Task<BenchReport> MeasureAsync(BenchArguments arguments, BenchmarkCorpus corpus, MachineInfo machine, string work, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var figures = new List<BenchFigure>();
        IReadOnlyList<ScalePoint> scale = [];
        IReadOnlyList<PhaseTiming> queryPhases = [];
        IReadOnlyList<PhaseTiming> ingestPhases = [];
        var repeats = arguments.Repeats;
        var ingest = new IngestBenchmark(corpus, Path.Combine(work, "ingest"), arguments.IngestDocuments);

        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var encoderTask = context.AddTask("Encoder throughput", maxValue: EmbeddingGeneratorBenchmark.Steps(repeats));
                await using (var services = await BenchServices.BuildAsync(Path.Combine(work, "encoder"), cancellationToken).ConfigureAwait(false))
                {
                    var encoder = services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(SemanticSearchServiceKeys.UncachedEmbeddingGenerator);
                    var passages = Passages(services, corpus, arguments.EncoderTexts);
                    var queryTexts = Enumerable.Range(0, arguments.EncoderTexts * 4).Select(i => corpus.NextQuery()).ToList();
                    figures.AddRange(await new EmbeddingGeneratorBenchmark(encoder, services.GetRequiredService<ITokenCounter>()).RunAsync(passages, queryTexts, repeats, () => encoderTask.Increment(1), cancellationToken).ConfigureAwait(false));
                }

                var ingestTask = context.AddTask($"Ingest {ingest.Documents.Count} documents: cold, warm, touched, cached, one by one", maxValue: 3 * repeats + 1);
                figures.AddRange(await ingest.RunAsync(repeats, () => ingestTask.Increment(1), cancellationToken).ConfigureAwait(false));
                ingestPhases = await IngestPhaseProfiler.RunAsync(ingest.DocsFolder, Path.Combine(work, "ingest-profile"), cancellationToken).ConfigureAwait(false);
                ingestTask.Increment(1);

                var editTask = context.AddTask($"Edit one paragraph of a {arguments.EditChunks}-chunk document", maxValue: repeats + 1);
                figures.AddRange(await new EditReuseBenchmark(corpus, Path.Combine(work, "edit")).RunAsync(arguments.EditChunks, repeats, () => editTask.Increment(1), cancellationToken).ConfigureAwait(false));

                var latencyTask = context.AddTask("Search latency: in process and HTTP, miss and hit", maxValue: repeats + 1);
                await using (var server = new SearchLatencyBenchmark(corpus))
                {
                    await server.StartAsync(ingest.DocsFolder, ingest.IngestedDataFolder!, cancellationToken).ConfigureAwait(false);
                    figures.AddRange(await server.RunAsync(arguments.LatencyQueries, repeats, () => latencyTask.Increment(1), cancellationToken).ConfigureAwait(false));
                    queryPhases = await QueryPhaseProfiler.RunAsync(server.Services, corpus.NextQueries(arguments.LatencyQueries), cancellationToken).ConfigureAwait(false);
                    latencyTask.Increment(1);

                    var scaleTask = context.AddTask("Latency vs index size", maxValue: arguments.Sizes.Count);
                    var options = server.Services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value;
                    var benchmark = new ScaleBenchmark(
                        corpus, server.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(),
                        VectorSpace.Of(server.Services.GetRequiredService<EmbeddingGeneratorMetadata>()), options.Index.Embedded.ToSettings());
                    scale = await benchmark.RunAsync(Path.Combine(work, "scale"), arguments.Sizes, arguments.LatencyQueries, repeats, status =>
                    {
                        scaleTask.Description = Markup.Escape(status);
                        if (status.StartsWith("Searching", StringComparison.Ordinal))
                        {
                            scaleTask.Increment(1);
                        }
                    }, cancellationToken).ConfigureAwait(false);
                    figures.AddRange(ScaleBenchmark.Figures(scale));
                }
            }).ConfigureAwait(false);

        var memory = MemorySnapshot.Capture();
        figures.Add(new BenchFigure("memory", "peak working set", "MiB", Summary.Of([memory.PeakWorkingSetMiB])));
        figures.Add(new BenchFigure("memory", "GC heap at end", "MiB", Summary.Of([memory.GcHeapMiB])));

        var plotPath = arguments.PlotPath;
        Directory.CreateDirectory(Path.GetDirectoryName(plotPath)!);
        await File.WriteAllTextAsync(plotPath, LatencyPlot.Render(scale, PlotSubtitle(machine, repeats)), cancellationToken).ConfigureAwait(false);

        return new BenchReport(
            DateTimeOffset.UtcNow, machine, MachineInfo.LoadAverageNow(), repeats, arguments.Corpus.FullName,
            figures, scale, queryPhases, ingestPhases, ingest.ColdMillisecondsPerDocument, memory, plotPath);
    }

    /// <summary>
    /// <c>bench --encoders</c>: writes the passages (the chunker's output for the first corpus documents) and queries for
    /// the peers, measures every contestant interleaved, prints the table and writes the JSON.
    /// </summary>
    public static async Task<int> RunEncodersAsync(EncoderComparisonArguments arguments, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(console);
        foreach (var file in new[] { arguments.Corpus, arguments.QueryFile }.Where(f => !f.Exists))
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]No file {file.FullName}.[/]");
            return 2;
        }
        if (arguments.Passages < 1 || arguments.Queries < 1 || arguments.Rounds < 1 || arguments.Batch < 1)
        {
            console.MarkupLine("[red]Passages, queries, rounds and batch must all be at least 1.[/]");
            return 2;
        }

        var machine = MachineInfo.Capture();
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{machine.Cores} cores, {machine.Cpu} ({MachineInfo.CpuFlags()}); load average {machine.LoadAverage}");
        var corpus = BenchmarkCorpus.Load(arguments.Corpus.FullName, arguments.QueryFile.FullName);
        var ownsWork = arguments.Work is null;
        var work = arguments.Work?.FullName ?? Path.Combine(Path.GetTempPath(), "semantic-search-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            List<string> passages;
            await using (var services = await BenchServices.BuildAsync(Path.Combine(work, "encoders"), cancellationToken).ConfigureAwait(false))
            {
                passages = Passages(services, corpus, arguments.Passages);
            }
            var queryTexts = corpus.NextQueries(arguments.Queries);
            Directory.CreateDirectory(Path.GetDirectoryName(arguments.TextsPath)!);
            await File.WriteAllTextAsync(arguments.TextsPath, JsonSerializer.Serialize(new { passages, queries = queryTexts }), cancellationToken).ConfigureAwait(false);

            var report = await EncoderComparison.RunAsync(arguments, passages, queryTexts, machine,
                line => console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{line}"), cancellationToken).ConfigureAwait(false);

            var table = new Table()
                .Title($"Encoders: {report.Passages} passages ({report.MeanTokens:F0} tokens on average), batch {report.Batch}, median of {report.Rounds} rounds (load {report.Machine.LoadAverage} → {report.LoadAverageAtEnd})")
                .AddColumns("contestant", "passages/s", "min", "max", $"× {Markup.Escape(report.Reference)}", "query p50 ms", "session ms", "model MB");
            foreach (var c in report.Contestants)
            {
                table.AddRow(Markup.Escape(c.Name), Format(c.PassagesPerSecond.Median), Format(c.PassagesPerSecond.Min), Format(c.PassagesPerSecond.Max),
                    c.Ratio.Median.ToString("F2", CultureInfo.InvariantCulture), Format(c.QueryP50Milliseconds), Format(c.SessionMilliseconds),
                    c.ModelMegabytes?.ToString("F1", CultureInfo.InvariantCulture) ?? "-");
            }
            console.Write(table);
            Directory.CreateDirectory(Path.GetDirectoryName(arguments.OutputPath)!);
            await File.WriteAllTextAsync(arguments.OutputPath, JsonSerializer.Serialize(report, JsonOptions), cancellationToken).ConfigureAwait(false);
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Results written to {arguments.OutputPath}, texts to {arguments.TextsPath}");
            return 0;
        }
        finally
        {
            if (ownsWork)
            {
                BenchServices.Delete(work);
            }
        }
    }

    /// <summary>"1000,10000" as sizes; anything unreadable becomes 0, which the validation then rejects with a message.</summary>
    private static List<int> ParseSizes(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var size) ? size : 0)];

    private static string PlotSubtitle(MachineInfo machine, int repeats) =>
        $"{machine.Cores} cores, {machine.Cpu}, load {machine.LoadAverage}; median of {repeats} runs";

    /// <summary>Passages as the product embeds them: the chunker's output for the first corpus documents.</summary>
    private static List<string> Passages(IServiceProvider services, BenchmarkCorpus corpus, int count)
    {
        var extractor = services.GetRequiredService<DocumentExtractor>();
        var chunker = services.GetRequiredService<Chunker>();
        var passages = new List<string>(count);
        for (var i = 0; passages.Count < count && i < corpus.Documents.Count * 4; i++)
        {
            var document = corpus.Document(i);
            var id = CorpusDocuments.DocumentIdOf(document.Id);
            passages.AddRange(chunker.Chunk(extractor.Extract(id, CorpusDocuments.ToMarkdown(document))).Select(c => c.Text));
        }
        return [.. passages.Take(count)];
    }

    private static void Write(IAnsiConsole console, BenchReport report)
    {
        var table = new Table()
            .Title($"Benchmarks: min / median / max over {report.Repeats} repeats ({report.Machine.Cores} cores, load {report.Machine.LoadAverage} → {report.LoadAverageAtEnd})")
            .AddColumns("section", "figure", "min", "median", "max", "unit");
        foreach (var figure in report.Figures)
        {
            table.AddRow(Markup.Escape(figure.Section), Markup.Escape(figure.Name), Format(figure.Value.Min), Format(figure.Value.Median), Format(figure.Value.Max), Markup.Escape(figure.Unit));
        }
        console.Write(table);
        console.Write(Phases($"Where a cache-miss query's time goes (mean per query)", report.QueryPhases));
        console.Write(Phases($"Where a cold ingest's time goes (mean per document; the real ingest took {report.ColdIngestMillisecondsPerDocument:F1} ms per document)", report.IngestPhases));
    }

    private static Table Phases(string title, IReadOnlyList<PhaseTiming> phases)
    {
        var table = new Table().Title(Markup.Escape(title)).AddColumns("phase", "ms", "share");
        foreach (var phase in phases)
        {
            table.AddRow(Markup.Escape(phase.Phase), phase.Milliseconds.ToString("F3", CultureInfo.InvariantCulture), phase.Share.ToString("P1", CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static string Format(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "F0" : Math.Abs(value) >= 1 ? "F2" : "F3", CultureInfo.InvariantCulture);
}
