using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// Clients (each waits for its answer, then <c>pause</c>) against a running server's <c>/api/search</c>: half send a query text never sent before (a miss
/// of every cache, so the encoder's work), half repeat one warmed query (a result-cache hit); one more client asks
/// <c>/api/health</c> ten times a second. A 429 or 503 with <c>Retry-After</c> is the server shedding load as it
/// should: that client waits as told. Anything else — another status, a 429/503 without the header, a failed or
/// timed-out request — is an error.
/// </summary>
public sealed class LoadRun(Uri server, int clients, TimeSpan duration, string cachedQuery, string? apiKey, TimeSpan pause, int newPercent = 50)
{
    public const string NewQueries = "new query";
    public const string CachedQueries = "cached query";
    public const string Health = "health";

    private static readonly string[] Vocabulary =
    [
        "how", "why", "what", "does", "do", "the", "a", "of", "in", "for", "and", "to", "with", "effect", "cause", "role",
        "bees", "bread", "volcano", "lava", "yeast", "protein", "cell", "cancer", "gene", "immune", "virus", "vaccine",
        "climate", "ocean", "coral", "reef", "bleaching", "temperature", "bicycle", "history", "computer", "apollo",
        "guidance", "memory", "navigation", "sun", "dance", "flower", "ferment", "flour", "ash", "eruption", "magma",
        "risk", "treatment", "patients", "increase", "reduce", "blood", "pressure", "brain", "neuron", "signal", "mouse",
        "insulin", "diabetes", "heart", "muscle", "bacteria", "infection", "antibody", "receptor", "enzyme", "mutation",
    ];

    private readonly ConcurrentQueue<string> _errors = new();
    private int _errorCount;

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients + 8, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("api-key", apiKey);
        }
        // Warm: the cached query's answer into the result cache, and the encoder's first call out of the way.
        foreach (var url in new[] { SearchUrl(cachedQuery), SearchUrl("warm up the encoder " + Guid.NewGuid().ToString("N")) })
        {
            using var warm = await http.GetAsync(new Uri(url, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            if (warm.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"The server answered the warm-up {url} with {(int)warm.StatusCode}; is it a semantic-search server (and the key right)?");
            }
        }

        var samples = new Dictionary<string, ClientSamples>(StringComparer.Ordinal)
        {
            [NewQueries] = new(), [CachedQueries] = new(), [Health] = new(),
        };
        var loadBefore = MachineInfo.LoadAverageNow();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var clock = Stopwatch.StartNew();
        var sequence = 0L;
        var tasks = new List<Task>(clients + 1);
        for (var c = 0; c < clients; c++)
        {
            var isNew = c * newPercent % 100 + newPercent > 99; // spreads the new-query clients evenly: every second one at 50 %
            var random = new Random(c);
            tasks.Add(Task.Run(() => ClientAsync(http, isNew ? samples[NewQueries] : samples[CachedQueries],
                () => isNew ? SearchUrl(NewText(random, Interlocked.Increment(ref sequence))) : SearchUrl(cachedQuery), pause, stop.Token), CancellationToken.None));
        }
        tasks.Add(Task.Run(() => ClientAsync(http, samples[Health], () => "/api/health", TimeSpan.FromMilliseconds(100), stop.Token), CancellationToken.None));
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        cancellationToken.ThrowIfCancellationRequested();

        return new LoadReport(
            server.ToString(), clients, pause.TotalMilliseconds, elapsed.TotalSeconds, loadBefore, MachineInfo.LoadAverageNow(), Environment.ProcessorCount,
            samples.ToDictionary(s => s.Key, s => s.Value.Summarize(elapsed), StringComparer.Ordinal),
            _errorCount, [.. _errors]);
    }

    private async Task ClientAsync(HttpClient http, ClientSamples samples, Func<string> next, TimeSpan pause, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var url = next();
            var started = Stopwatch.GetTimestamp();
            TimeSpan? wait = null;
            try
            {
                // A request under way when the run ends is finished, not cancelled: its latency counts like any other.
                using var response = await http.GetAsync(new Uri(url, UriKind.Relative), HttpCompletionOption.ResponseContentRead, CancellationToken.None).ConfigureAwait(false);
                var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var status = (int)response.StatusCode;
                samples.Record(status, latency);
                if (status is 429 or 503)
                {
                    wait = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow);
                    if (wait is null)
                    {
                        Error($"{status} without Retry-After for {url}");
                        wait = TimeSpan.FromSeconds(1);
                    }
                }
                else if (status != 200)
                {
                    Error($"{status} for {url}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                samples.Record(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Error($"{ex.GetType().Name} for {url}: {ex.Message}");
            }
            var delay = wait ?? pause;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Error(string message)
    {
        if (Interlocked.Increment(ref _errorCount) <= 20)
        {
            _errors.Enqueue(message);
        }
    }

    private static string SearchUrl(string text) => "/api/search?q=" + Uri.EscapeDataString(text);

    /// <summary>Five to nine words and a number no other request carries, so neither cache has seen the text.</summary>
    private static string NewText(Random random, long sequence)
    {
        var words = Enumerable.Range(0, random.Next(5, 10)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]);
        return string.Join(' ', words) + " " + sequence.ToString(CultureInfo.InvariantCulture);
    }

    private sealed class ClientSamples
    {
        private readonly List<double> _ok = [];
        private readonly Dictionary<int, int> _statuses = [];

        public void Record(int status, double milliseconds)
        {
            lock (_ok)
            {
                _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
                if (status == 200)
                {
                    _ok.Add(milliseconds);
                }
            }
        }

        public LoadClassReport Summarize(TimeSpan elapsed)
        {
            lock (_ok)
            {
                var others = _statuses.Where(s => s.Key is not (200 or 429 or 503)).Sum(s => s.Value);
                return new LoadClassReport(
                    _statuses.Values.Sum(), _statuses.GetValueOrDefault(200), _statuses.GetValueOrDefault(429), _statuses.GetValueOrDefault(503), others,
                    _ok.Count > 0 ? Math.Round(Percentiles.Of(_ok, 50), 2) : null,
                    _ok.Count > 0 ? Math.Round(Percentiles.Of(_ok, 99), 2) : null,
                    _ok.Count > 0 ? Math.Round(_ok.Max(), 2) : null,
                    Math.Round(_statuses.GetValueOrDefault(200) / elapsed.TotalSeconds, 1));
            }
        }
    }
}

/// <summary>What a <see cref="LoadRun"/> measured; latencies are of 200 responses, in milliseconds, seen by the client.</summary>
public sealed record LoadReport(
    string Server, int Clients, double PauseMs, double Seconds, string LoadAverageBefore, string LoadAverageAfter, int Cores,
    IReadOnlyDictionary<string, LoadClassReport> Classes, int Errors, IReadOnlyList<string> FirstErrors);

/// <summary>One kind of request: how many, by status (other = any status but 200, 429 and 503, or none), latency and answers a second.</summary>
public sealed record LoadClassReport(int Requests, int Ok, int TooManyRequests, int Unavailable, int Other, double? P50Ms, double? P99Ms, double? MaxMs, double OkPerSecond);
