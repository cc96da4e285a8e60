using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PuppeteerSharp;
using SemanticSearch.Ingestion;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Folders;

namespace SemanticSearch.Local.Tests.Page;

/// <summary>
/// The real local server (<c>serve --docs</c>'s own builder: Kestrel on a free loopback port, the ONNX encoder, the
/// embedded index) over <see cref="PageCorpus"/> in a temporary folder, and one headless Chromium, shared by every
/// browser test. Each test gets its own incognito browser context (fresh history, cache, storage) from
/// <see cref="OpenAsync"/>.
/// </summary>
public sealed class PageFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("page-tests-").FullName;
    private WebApplication? _server;
    private IBrowser? _browser;
    private string? _userDataDir;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>How long ingesting the corpus and starting the browser took.</summary>
    public TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var docs = Path.Combine(_root, "docs");
        foreach (var (id, content) in PageCorpus.Files)
        {
            var path = Path.Combine(docs, id);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content);
        }

        var settings = new Dictionary<string, string?>
        {
            ["Data:Path"] = Path.Combine(_root, "data"),
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        _server = ServeCommand.BuildFolderServer([], settings, docs);
        await _server.StartAsync();
        BaseUrl = new Uri(_server.Urls.First().TrimEnd('/') + "/");
        var sync = await _server.Services.GetRequiredService<FolderWatcher>().InitialSync.WaitAsync(TimeSpan.FromMinutes(2));
        if (sync.Count(IngestionOutcome.Indexed) != PageCorpus.Files.Count - 1)
        {
            throw new InvalidOperationException($"Expected {PageCorpus.Files.Count - 1} documents indexed and one failed; got: " +
                string.Join(", ", sync.Results.Select(r => $"{r.DocumentId} {r.Outcome}")));
        }

        if (Chromium.ExecutablePath is not null)
        {
            _userDataDir = Directory.CreateTempSubdirectory("page-tests-chromium-").FullName;
            _browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = Chromium.ExecutablePath,
                Headless = true,
                Args = Chromium.Flags,
                UserDataDir = _userDataDir,
                Timeout = 60_000,
                ProtocolTimeout = 60_000,
            });
        }
        StartupTime = clock.Elapsed;
    }

    /// <summary>A new page in a new incognito context, recording its console, errors, dialogs and API calls.</summary>
    public async Task<PageSession> OpenAsync(int width = 1280, int height = 900)
    {
        if (_browser is null)
        {
            throw new InvalidOperationException(Chromium.Required ? $"PAGE_TESTS_REQUIRE_BROWSER=1 but {Chromium.MissingMessage}" : Chromium.SkipReason);
        }
        var context = await _browser.CreateBrowserContextAsync();
        var page = await context.NewPageAsync();
        page.DefaultTimeout = 15_000;
        page.DefaultNavigationTimeout = 20_000;
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        return await PageSession.StartAsync(context, page, BaseUrl);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            _browser.Dispose();
        }
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
        foreach (var folder in new[] { _root, _userDataDir })
        {
            try
            {
                if (folder is not null)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // Chromium (or the index) may still hold a file for a moment; the folders are under /tmp.
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<PageFixture>
{
    public const string Name = "search page in Chromium";
}
