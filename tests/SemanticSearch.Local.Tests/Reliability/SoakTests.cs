using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Folders;
using Xunit.Abstractions;

namespace SemanticSearch.Local.Tests.Reliability;

/// <summary>
/// The local server on real Kestrel (loopback) with the real encoder, under a mix it must survive for as long as it
/// runs: files written, rewritten and deleted in the watched folder while clients search (cached and new queries,
/// keyword look-ups), list documents and ask for health. Every response must be a 200 or a 429 with Retry-After; at the
/// end the index must answer exactly as a clean ingest of the folder as it finally is. 30 s in CI; set SOAK_SECONDS for longer.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Names = 30;
    private const int SearchClients = 6;

    private static readonly string[] Words =
    [
        "river", "mountain", "protein", "signal", "engine", "harvest", "orbit", "glacier", "market", "theory", "cell",
        "pressure", "library", "voltage", "forest", "algorithm", "sediment", "enzyme", "tariff", "comet", "bridge", "neuron",
    ];

    [Fact]
    public async Task MixedIngestDeleteAndSearchForTheSoakDurationWithoutAnErrorAndTheIndexMatchesTheFolder()
    {
        var duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SOAK_SECONDS"), CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 30);
        using var root = new TempDirectory();
        var docs = Path.Combine(root.Path, "docs");
        var data = Path.Combine(root.Path, "data");
        var revisions = new int[Names];
        for (var i = 0; i < Names * 2 / 3; i++)
        {
            WriteRevision(docs, i, ++revisions[i]);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Data:Path"] = data,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        await using var app = ServeCommand.BuildFolderServer([], settings, docs);
        await app.Services.InitializeSemanticSearchAsync(CancellationToken.None);
        await app.StartAsync();
        var initial = await app.Services.GetRequiredService<FolderWatcher>().InitialSync.WaitAsync(TimeSpan.FromMinutes(2));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        await client.GetAsync(new Uri("/api/search?q=glacier%20sediment", UriKind.Relative)); // warms the cached query

        var workingSetStart = WorkingSetMiB();
        output.WriteLine($"server on {address}; initial sync indexed {initial.Results.Count} documents; working set {workingSetStart:F0} MiB, " +
            $"GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB; soak for {duration.TotalSeconds:F0} s");

        var counts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var errors = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();

        var writer = Task.Run(async () =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                var i = random.Next(Names);
                var path = PathOf(docs, i);
                if (File.Exists(path) && random.Next(4) == 0)
                {
                    File.Delete(path);
                    counts.AddOrUpdate("file deleted", 1, (_, n) => n + 1);
                }
                else
                {
                    counts.AddOrUpdate(File.Exists(path) ? "file rewritten" : "file created", 1, (_, n) => n + 1);
                    WriteRevision(docs, i, ++revisions[i]);
                }
                await Task.Delay(random.Next(30, 150), CancellationToken.None);
            }
        });
        var searchers = Enumerable.Range(0, SearchClients).Select(c => Task.Run(async () =>
        {
            var random = new Random(100 + c);
            while (!stop.IsCancellationRequested)
            {
                var (kind, url) = random.Next(10) switch
                {
                    < 4 => ("cached search", "/api/search?q=glacier%20sediment"),
                    < 6 => ("new search", "/api/search?q=" + Uri.EscapeDataString(string.Join(' ', Enumerable.Range(0, 5).Select(_ => Words[random.Next(Words.Length)])) + $" {random.Next()}")),
                    < 8 => ("keyword search", $"/api/search?mode=keyword&q=marker{random.Next(Names)}x{random.Next(1, 20)}"),
                    < 9 => ("document list", "/api/documents?top=100"),
                    _ => ("health", "/api/health"),
                };
                try
                {
                    using var response = await client.GetAsync(new Uri(url, UriKind.Relative), CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    counts.AddOrUpdate($"{kind} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is not null)
                    {
                        await Task.Delay(100, CancellationToken.None);
                    }
                    else if (response.StatusCode != HttpStatusCode.OK)
                    {
                        errors.Enqueue($"{kind} {url}: {(int)response.StatusCode}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    errors.Enqueue($"{kind} {url}: {ex.GetType().Name} {ex.Message}");
                }
            }
        })).ToList();
        await Task.WhenAll([writer, .. searchers]);
        var soaked = clock.Elapsed;

        // The folder is still now: the index must converge to it, then answer as a clean ingest of it does.
        var converged = await WaitUntilQuietAsync(client, docs);
        var workingSetEnd = WorkingSetMiB();
        foreach (var (name, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{name,-22} {count,7}");
        }
        var requests = counts.Where(c => !c.Key.StartsWith("file", StringComparison.Ordinal)).Sum(c => c.Value);
        output.WriteLine($"{requests} requests in {soaked.TotalSeconds:F1} s ({requests / soaked.TotalSeconds:F0}/s), {errors.Count} errors; " +
            $"index quiet {converged.TotalSeconds:F1} s after the last write; working set {workingSetStart:F0} MiB at start, {workingSetEnd:F0} MiB at end; " +
            $"GC heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB");
        Assert.True(errors.IsEmpty, string.Join('\n', errors.Take(20)));
        await app.StopAsync();
        await app.DisposeAsync();

        var finalFiles = Enumerable.Range(0, Names).Where(i => File.Exists(PathOf(docs, i))).ToList();
        var clean = Path.Combine(root.Path, "clean");
        var (exitCode, ingestOutput) = await LocalExecutable.RunAsync(["ingest", docs, "--data", clean]);
        Assert.True(exitCode == 0, ingestOutput);
        var current = finalFiles.Select(i => (Id: Path.GetRelativePath(docs, PathOf(docs, i)).Replace('\\', '/'), Marker: $"marker{i}x{revisions[i]}", Stale: $"marker{i}x{revisions[i] - 1}")).ToList();
        string[] queries = ["glacier sediment", "neuron voltage bridge", .. current.Select(c => c.Marker), .. current.Select(c => c.Stale)];
        var expected = await IndexSnapshot.ReadAsync(clean, queries);
        var actual = await IndexSnapshot.ReadAsync(data, queries);
        output.WriteLine($"final folder: {finalFiles.Count} files; index: {actual.Statuses.Count} documents, {actual.Chunks.Count} chunks ({expected.Chunks.Count} in a clean ingest)");
        Assert.Equal(finalFiles.Count, expected.Statuses.Count);
        actual.AssertSameContentAs(expected);
        foreach (var (id, marker, stale) in current)
        {
            Assert.Equal(id, actual.Answers[$"keyword: {marker}"] is [var top, ..] ? top.DocumentId : null);
            Assert.DoesNotContain(actual.Answers[$"keyword: {stale}"], r => r.DocumentId == id);
        }
        // Rankings are compared, not asserted: after edits they drift from a clean ingest's (docs/reliability.md, "Soak").
        var differences = actual.AnswerDifferences(expected);
        output.WriteLine($"{differences.Count} of {actual.Answers.Count} answers rank differently from a clean ingest of the final folder");
        foreach (var difference in differences.Take(6))
        {
            output.WriteLine("  " + (difference.Length > 160 ? difference[..160] + "…" : difference));
        }
    }

    private static string PathOf(string docs, int i) => Path.Combine(docs, i % 3 == 0 ? "nested" : "", $"note-{i:D2}.md");

    /// <summary>A new revision of a file: a marker term naming the file and revision, then some prose that differs per revision.</summary>
    private static void WriteRevision(string docs, int i, int revision)
    {
        var path = PathOf(docs, i);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var paragraphs = SyntheticDocument.Paragraphs(1 + (i + revision) % 4, seed: i * 1000 + revision);
        File.WriteAllText(path, $"# Note {i}\n\nmarker{i}x{revision} revision {revision} of note {i}.\n\n" + SyntheticDocument.Markdown(paragraphs));
    }

    /// <summary>Waits until the server's document list is the folder's files, all indexed, and the index generation has stopped moving.</summary>
    private static async Task<TimeSpan> WaitUntilQuietAsync(HttpClient client, string docs)
    {
        var clock = Stopwatch.StartNew();
        long? lastGeneration = null;
        var stableSince = clock.Elapsed;
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(250);
            var files = Directory.EnumerateFiles(docs, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(docs, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
            var list = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/documents?top=1000", UriKind.Relative));
            var statuses = list.GetProperty("documents").EnumerateArray()
                .Select(d => (Id: d.GetProperty("documentId").GetString()!, Status: d.GetProperty("status").GetString()!)).ToList();
            var generation = (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/health", UriKind.Relative))).GetProperty("indexGeneration").GetInt64();
            if (generation != lastGeneration)
            {
                lastGeneration = generation;
                stableSince = clock.Elapsed;
            }
            var inLine = statuses.All(s => s.Status == "indexed") && statuses.Select(s => s.Id).Order(StringComparer.Ordinal).SequenceEqual(files, StringComparer.Ordinal);
            if (inLine && clock.Elapsed - stableSince >= TimeSpan.FromSeconds(2))
            {
                return stableSince;
            }
        }
        throw new TimeoutException("The index did not settle within 90 s of the last write.");
    }

    private static double WorkingSetMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }
}
