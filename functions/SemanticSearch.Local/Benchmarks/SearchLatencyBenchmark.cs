using System.Diagnostics;
using System.Globalization;
using SemanticSearch.Indexing;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Folders;
using SemanticSearch.Query;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// End-to-end search latency on the local server (Kestrel on 127.0.0.1, a free port) over an ingested folder:
/// in process through <see cref="SearchService"/> and over HTTP with <see cref="HttpClient"/>, each for result-cache
/// misses (a query never asked before: embedding, index search, caching) and hits (the same queries again).
/// </summary>
internal sealed class SearchLatencyBenchmark(BenchmarkCorpus corpus) : IAsyncDisposable
{
    public const string Section = "search latency";
    private const int Top = 10;
    private WebApplication? _app;
    private HttpClient? _client;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Start the server first.");

    public async Task StartAsync(string docsFolder, string dataFolder, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Data:Path"] = dataFolder,
            ["urls"] = "http://127.0.0.1:0",
            // Every search logs at Information; at a few thousand searches that would be the benchmark.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        _app = ServeCommand.BuildFolderServer([], settings, docsFolder);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        await _app.Services.GetRequiredService<FolderWatcher>().InitialSync.WaitAsync(cancellationToken).ConfigureAwait(false);
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task<IReadOnlyList<BenchFigure>> RunAsync(int queries, int repeats, Action advance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advance);
        var service = Services.GetRequiredService<SearchService>();
        // JIT, connection pools and the first HTTP connection are start-up costs, not per-query ones.
        foreach (var warmUp in corpus.NextQueries(3))
        {
            await SearchInProcessAsync(service, warmUp, "miss", cancellationToken).ConfigureAwait(false);
            await SearchOverHttpAsync(warmUp + " warm", "miss", cancellationToken).ConfigureAwait(false);
        }

        var inProcessMiss = new LatencySamples();
        var inProcessHit = new LatencySamples();
        var httpMiss = new LatencySamples();
        var httpHit = new LatencySamples();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var texts = corpus.NextQueries(queries);
            inProcessMiss.AddRepeat(await TimeAllAsync(texts, t => SearchInProcessAsync(service, t, "miss", cancellationToken)).ConfigureAwait(false));
            inProcessHit.AddRepeat(await TimeAllAsync(texts, t => SearchInProcessAsync(service, t, "hit", cancellationToken)).ConfigureAwait(false));
            texts = corpus.NextQueries(queries);
            httpMiss.AddRepeat(await TimeAllAsync(texts, t => SearchOverHttpAsync(t, "miss", cancellationToken)).ConfigureAwait(false));
            httpHit.AddRepeat(await TimeAllAsync(texts, t => SearchOverHttpAsync(t, "hit", cancellationToken)).ConfigureAwait(false));
            advance();
        }
        return
        [
            .. inProcessMiss.Figures(Section, "in-process, cache miss"),
            .. inProcessHit.Figures(Section, "in-process, cache hit"),
            .. httpMiss.Figures(Section, "HTTP, cache miss"),
            .. httpHit.Figures(Section, "HTTP, cache hit"),
        ];
    }

    private static async Task<IReadOnlyList<double>> TimeAllAsync(IReadOnlyList<string> texts, Func<string, Task> search)
    {
        var samples = new List<double>(texts.Count);
        foreach (var text in texts)
        {
            var started = Stopwatch.GetTimestamp();
            await search(text).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return samples;
    }

    private static async Task SearchInProcessAsync(SearchService service, string text, string expected, CancellationToken cancellationToken)
    {
        var response = await service.SearchAsync(new SearchRequest(text, Top, RetrievalMode.Hybrid), cancellationToken).ConfigureAwait(false);
        Expect(response.Cache, expected, text);
    }

    private async Task SearchOverHttpAsync(string text, string expected, CancellationToken cancellationToken)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"/api/search?q={Uri.EscapeDataString(text)}&top={Top}&mode=hybrid");
        using var response = await _client!.GetAsync(new Uri(url, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        Expect(body.Contains($"\"cache\":\"{expected}\"", StringComparison.Ordinal) ? expected : "other", expected, text);
    }

    /// <summary>A figure labelled "miss" that was served from the cache would be a lie; fail loudly instead.</summary>
    private static void Expect(string actual, string expected, string text)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Expected a cache {expected} for '{text}', got {actual}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
