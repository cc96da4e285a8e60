using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Folders;
using SemanticSearch.Sync;

namespace SemanticSearch.Local.Tests.Support;

/// <summary>The local server over a temporary folder, on ASP.NET Core's in-memory test server, with the real encoder.</summary>
internal sealed class LocalServerHarness : IAsyncDisposable
{
    private readonly TempDirectory _root = new();
    private WebApplication? _app;

    public LocalServerHarness()
    {
        Docs = Path.Combine(_root.Path, "docs");
        Data = Path.Combine(_root.Path, "data");
        Directory.CreateDirectory(Docs);
    }

    public string Docs { get; }

    public string Data { get; }

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public Dictionary<string, string?> Settings { get; } = [];

    public string Write(string documentId, string content)
    {
        var path = Path.Combine(Docs, documentId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string Write(string documentId, byte[] content)
    {
        var path = Path.Combine(Docs, documentId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public async Task<SyncSummary> StartAsync()
    {
        var settings = new Dictionary<string, string?>(Settings);
        settings.TryAdd("Data:Path", Data);
        _app = ServeCommand.BuildFolderServer([], settings, Docs, builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        Client = _app.GetTestClient();
        return await Services.GetRequiredService<FolderWatcher>().InitialSync.WaitAsync(TimeSpan.FromMinutes(2));
    }

    public async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await Client.GetAsync(new Uri(url, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls a document's status until <paramref name="done"/> holds (the watcher works in the background).</summary>
    public async Task<JsonElement?> WaitForDocumentAsync(string documentId, Func<JsonElement?, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await Client.GetAsync(new Uri($"/api/documents/{Uri.EscapeDataString(documentId)}", UriKind.Relative));
            JsonElement? status = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
            if (done(status))
            {
                return status;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Document {documentId} did not reach the expected state; last: {status}");
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _root.Dispose();
    }
}
